using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Organizations.Data;

public sealed class OrganizationsDb(DbContextOptions<OrganizationsDb> options) : DbContext(options)
{
    public DbSet<Community> Communities => Set<Community>();
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.Entity<Community>(e =>
        {
            e.ToTable("communities");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Community.NameMaxLength);
            e.Property(x => x.District).HasMaxLength(Community.PlaceMaxLength);
            e.Property(x => x.Street).HasMaxLength(Community.PlaceMaxLength);
            // The same name twice in one street is the same community registered again.
            e.HasIndex(x => new { x.District, x.Street, x.Name }).IsUnique();
        });
        modelBuilder.Entity<Enterprise>(e =>
        {
            e.ToTable("enterprises");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Enterprise.NameMaxLength);
            e.Property(x => x.CreditCode).HasMaxLength(18).IsFixedLength();
            e.Property(x => x.Industry).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.District).HasMaxLength(Community.PlaceMaxLength);
            e.HasIndex(x => x.CreditCode).IsUnique();
            e.HasIndex(x => new { x.Industry, x.Name });
        });
    }
}
