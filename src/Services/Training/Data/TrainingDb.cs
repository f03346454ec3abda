using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Communities;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Training.Data;

public sealed class TrainingDb(DbContextOptions<TrainingDb> options) : DbContext(options)
{
    /// <summary>Local copy of the communities registered with the organizations service.</summary>
    public DbSet<LocalCommunity> Communities => Set<LocalCommunity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.AddLocalCommunities();
    }
}
