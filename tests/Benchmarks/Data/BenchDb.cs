using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Benchmarks.Data;

/// <summary>The database of the benchmark "service": the platform tables plus one table of consumer effects.</summary>
public sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    public const string ConnectionName = "bench-db";

    public DbSet<BenchEffect> Effects => Set<BenchEffect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.Entity<BenchEffect>(e =>
        {
            e.ToTable("bench_effects");
            // A surrogate key and a non-unique event id: a duplicate effect would show up as a second row
            // instead of being hidden by a key violation, so the exactly-once check can see it.
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.EventId).HasColumnName("event_id");
            e.Property(x => x.CommittedAt).HasColumnName("committed_at");
            e.Property(x => x.EffectedAt).HasColumnName("effected_at");
            e.HasIndex(x => x.EventId);
        });
    }
}

/// <summary>One consumer effect: the event it came from, when the event was committed and when it took effect.</summary>
public sealed class BenchEffect
{
    public long Id { get; set; }
    public Guid EventId { get; set; }
    public DateTimeOffset CommittedAt { get; set; }
    public DateTimeOffset EffectedAt { get; set; }
}

/// <summary>Used by <c>dotnet ef migrations add</c> only; never connects.</summary>
public sealed class BenchDbDesignTimeFactory : IDesignTimeDbContextFactory<BenchDb>
{
    public BenchDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BenchDb>().UseNpgsql("Host=localhost;Database=bench").Options);
}
