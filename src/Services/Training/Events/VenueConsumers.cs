using MassTransit;
using Platform.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Events;

/// <summary>Keeps the local venue copy: stations where courses can be held. Correct in any arrival order (see <see cref="Venue"/>).</summary>
public sealed class StationOpenedConsumer(TrainingDb db, MessagingTelemetry telemetry, ILogger<StationOpenedConsumer> logger)
    : IdempotentConsumer<StationOpened, TrainingDb>(db, telemetry, logger)
{
    protected override async Task HandleAsync(StationOpened message, ConsumeContext<StationOpened> context, CancellationToken cancellationToken) =>
        (await Venues.FindOrAddAsync(Db, message.StationId, cancellationToken)).Apply(message);
}

public sealed class StationUpdatedConsumer(TrainingDb db, MessagingTelemetry telemetry, ILogger<StationUpdatedConsumer> logger)
    : IdempotentConsumer<StationUpdated, TrainingDb>(db, telemetry, logger)
{
    protected override async Task HandleAsync(StationUpdated message, ConsumeContext<StationUpdated> context, CancellationToken cancellationToken) =>
        (await Venues.FindOrAddAsync(Db, message.StationId, cancellationToken)).Apply(message);
}

public sealed class StationClosedConsumer(TrainingDb db, MessagingTelemetry telemetry, ILogger<StationClosedConsumer> logger)
    : IdempotentConsumer<StationClosed, TrainingDb>(db, telemetry, logger)
{
    protected override async Task HandleAsync(StationClosed message, ConsumeContext<StationClosed> context, CancellationToken cancellationToken) =>
        (await Venues.FindOrAddAsync(Db, message.StationId, cancellationToken)).Apply(message);
}

internal static class Venues
{
    public static async Task<Venue> FindOrAddAsync(TrainingDb db, Guid stationId, CancellationToken ct)
    {
        var venue = await db.Venues.FindAsync([stationId], ct);
        if (venue is null)
        {
            venue = Venue.Known(stationId);
            db.Venues.Add(venue);
        }
        return venue;
    }

    public static void AddVenueConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<StationOpenedConsumer>();
        bus.AddConsumer<StationUpdatedConsumer>();
        bus.AddConsumer<StationClosedConsumer>();
    }
}
