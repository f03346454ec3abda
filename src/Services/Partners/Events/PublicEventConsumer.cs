using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Partners.Events;

/// <summary>
/// Turns one public integration event into a delivery for every active subscription that wants it, in the same
/// transaction as the inbox row: an event is either queued for all its subscribers or (on failure) for none, and a
/// redelivered event queues nothing twice.
/// </summary>
public sealed class PublicEventConsumer<TEvent>(PartnersDb db, MessagingTelemetry telemetry, ILogger<PublicEventConsumer<TEvent>> logger, TimeProvider clock)
    : IdempotentConsumer<TEvent, PartnersDb>(db, telemetry, logger)
    where TEvent : class
{
    protected override string ConsumerName => $"Public{typeof(TEvent).Name}";

    protected override async Task HandleAsync(TEvent message, ConsumeContext<TEvent> context, CancellationToken cancellationToken)
    {
        var type = PublicEventCatalogue.For(typeof(TEvent));
        var district = await DistrictOfAsync(message, type, cancellationToken);
        var category = type.Category(message);

        var candidates = await Db.Subscriptions
            .Where(s => s.Status == SubscriptionStatus.Active && s.EventTypes.Contains(type.Type))
            .ToListAsync(cancellationToken);
        var wanting = candidates.Where(s => s.Wants(type, district, category)).ToList();
        if (wanting.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var eventId = context.MessageId ?? throw new InvalidOperationException("A public event arrived without a message id.");
        var occurredAt = context.SentTime is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : now;
        var body = CloudEvent.Serialize(type, eventId, message, occurredAt, type.Subject(message));
        foreach (var subscription in wanting)
        {
            Db.Deliveries.Add(Delivery.For(subscription, type, eventId, body, occurredAt, now));
        }
    }

    /// <summary>
    /// The event's district; station events also keep the station's district so that its closure, which names only
    /// the station, can be matched against district filters.
    /// </summary>
    private async Task<string?> DistrictOfAsync(TEvent message, PublicEventType type, CancellationToken ct)
    {
        switch (message)
        {
            case StationOpened opened:
                await RememberStationAsync(opened.StationId, opened.District, ct);
                break;
            case StationUpdated updated:
                await RememberStationAsync(updated.StationId, updated.District, ct);
                break;
            case StationClosed closed:
                return (await Db.StationDistricts.FindAsync([closed.StationId], ct))?.District;
        }
        return type.District(message);
    }

    private async Task RememberStationAsync(Guid stationId, string district, CancellationToken ct)
    {
        var known = await Db.StationDistricts.FindAsync([stationId], ct);
        if (known is null)
        {
            Db.StationDistricts.Add(new StationDistrict { StationId = stationId, District = district });
        }
        else
        {
            known.District = district;
        }
    }
}

/// <summary>One queue per public event type, "partners-&lt;event&gt;" (e.g. partners-hazard-reported).</summary>
public sealed class PublicEventConsumerDefinition<TEvent> : ConsumerDefinition<PublicEventConsumer<TEvent>>
    where TEvent : class
{
    public PublicEventConsumerDefinition() =>
        EndpointName = "partners-" + System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(typeof(TEvent).Name);
}

public static class PublicEventConsumerRegistration
{
    /// <summary>A consumer for every integration event in the public catalogue.</summary>
    public static void AddPublicEventConsumers(this IBusRegistrationConfigurator bus)
    {
        var add = typeof(PublicEventConsumerRegistration).GetMethod(nameof(AddPublicEventConsumer), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        foreach (var contract in PublicEventCatalogue.ConsumedContracts)
        {
            add.MakeGenericMethod(contract).Invoke(null, [bus]);
        }
    }

    private static void AddPublicEventConsumer<TEvent>(IBusRegistrationConfigurator bus) where TEvent : class =>
        bus.AddConsumer<PublicEventConsumer<TEvent>, PublicEventConsumerDefinition<TEvent>>();
}
