using MassTransit;
using Microsoft.Extensions.Logging;
using Platform.Benchmarks.Data;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Benchmarks.Messaging;

/// <summary>The benchmark's integration event. <paramref name="CommittedAt"/> is taken just before the SaveChanges that commits it.</summary>
public sealed record BenchEvent(Guid EventId, long Sequence, DateTimeOffset CommittedAt, string Note);

/// <summary>The event of the bare MassTransit reference (same shape, its own exchange and queue).</summary>
public sealed record ReferenceEvent(Guid EventId, long Sequence, DateTimeOffset CommittedAt, string Note);

/// <summary>A consumer as every service writes one: the effect is one row, saved with the inbox row by the kit.</summary>
public sealed class BenchEventConsumer(BenchDb db, MessagingTelemetry telemetry, ILogger<BenchEventConsumer> logger)
    : IdempotentConsumer<BenchEvent, BenchDb>(db, telemetry, logger)
{
    protected override Task HandleAsync(BenchEvent message, ConsumeContext<BenchEvent> context, CancellationToken cancellationToken)
    {
        Db.Effects.Add(new BenchEffect
        {
            EventId = message.EventId,
            CommittedAt = message.CommittedAt,
            EffectedAt = DateTimeOffset.UtcNow,
        });
        return Task.CompletedTask;
    }
}

/// <summary>The reference consumer: does nothing but count (done by <see cref="EffectProbe"/>).</summary>
public sealed class ReferenceEventConsumer : IConsumer<ReferenceEvent>
{
    public Task Consume(ConsumeContext<ReferenceEvent> context) => Task.CompletedTask;
}
