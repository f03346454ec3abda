using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>An event of the test service (in a namespace: MassTransit refuses types without one).</summary>
public sealed record KitEvent(Guid Id, int Sequence);

/// <summary>What the consumer did; deliberately not idempotent by itself, so only the inbox prevents doubles.</summary>
public sealed class KitEffect
{
    public long Id { get; set; }
    public Guid EventId { get; set; }
    public int Sequence { get; set; }
    public string? TraceId { get; set; }
}

public sealed class KitDb(DbContextOptions<KitDb> options) : DbContext(options)
{
    public DbSet<KitEffect> Effects => Set<KitEffect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.Entity<KitEffect>(e =>
        {
            e.ToTable("kit_effects");
            e.HasIndex(x => x.EventId);
        });
    }
}

/// <summary>Lets dotnet-ef build the test context's migrations without a running host.</summary>
public sealed class KitDbDesignTimeFactory : IDesignTimeDbContextFactory<KitDb>
{
    public KitDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KitDb>().UseNpgsql("Host=localhost;Database=kit").Options);
}

public sealed class KitConsumer(KitDb db, MessagingTelemetry telemetry, ILogger<KitConsumer> logger)
    : IdempotentConsumer<KitEvent, KitDb>(db, telemetry, logger)
{
    /// <summary>Events whose handling waits until the test releases them (keeps a batch leader busy).</summary>
    public static ConcurrentDictionary<Guid, KitHold> Holds { get; } = new();
    /// <summary>Events whose handling always fails.</summary>
    public static ConcurrentDictionary<Guid, bool> Poison { get; } = new();

    protected override async Task HandleAsync(KitEvent message, ConsumeContext<KitEvent> context, CancellationToken cancellationToken)
    {
        if (Holds.TryGetValue(message.Id, out var hold))
        {
            hold.Entered.TrySetResult();
            await hold.Released.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        if (Poison.ContainsKey(message.Id))
        {
            throw new InvalidOperationException($"Event {message.Id} cannot be handled.");
        }
        Db.Effects.Add(new KitEffect { EventId = message.Id, Sequence = message.Sequence, TraceId = Activity.Current?.TraceId.ToString() });
    }
}

public sealed class KitHold
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
