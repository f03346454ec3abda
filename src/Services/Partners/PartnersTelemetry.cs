using System.Diagnostics.Metrics;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Http;

namespace Platform.Partners;

/// <summary>The partners service's meters, shown on the dashboard (no agency secrets, no payloads).</summary>
public sealed class PartnersTelemetry : IDisposable
{
    public const string MeterName = "Platform.Partners";
    private readonly Meter _meter;

    public PartnersTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        Attempts = _meter.CreateCounter<long>("platform.webhooks.attempts", "{attempt}", "Delivery attempts to partner callbacks, by outcome.");
        AttemptDuration = _meter.CreateHistogram<double>("platform.webhooks.attempt.duration", "ms", "Time for one attempt, from request to response headers.");
        EventToDelivery = _meter.CreateHistogram<double>("platform.webhooks.event_to_delivery", "ms", "From the event's publication to its successful delivery.");
        Delivered = _meter.CreateCounter<long>("platform.webhooks.deliveries", "{delivery}", "Webhooks an agency accepted (2xx), whatever the attempt.");
        Failed = _meter.CreateCounter<long>("platform.webhooks.failures", "{delivery}",
            "Webhooks given up: dead-lettered after the last attempt, or the agency answered 410 Gone (outcome).");
    }

    public Counter<long> Attempts { get; }
    public Histogram<double> AttemptDuration { get; }
    public Histogram<double> EventToDelivery { get; }
    public Counter<long> Delivered { get; }
    public Counter<long> Failed { get; }

    /// <summary>One recorded attempt: its outcome, and for the last attempt of a delivery whether it arrived or was given up.</summary>
    public void Attempted(AttemptOutcome outcome, double latencyMs, double? eventToDeliveryMs)
    {
        var tag = new KeyValuePair<string, object?>("outcome", KebabEnum.Name(outcome));
        Attempts.Add(1, tag);
        AttemptDuration.Record(latencyMs);
        switch (outcome)
        {
            case AttemptOutcome.Delivered:
                Delivered.Add(1);
                if (eventToDeliveryMs is { } ms)
                {
                    EventToDelivery.Record(ms);
                }
                break;
            case AttemptOutcome.DeadLettered or AttemptOutcome.Gone:
                Failed.Add(1, tag);
                break;
        }
    }

    public void Dispose() => _meter.Dispose();
}
