using System.Diagnostics.Metrics;

namespace Platform.Partners.Sending;

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
    }

    public Counter<long> Attempts { get; }
    public Histogram<double> AttemptDuration { get; }
    public Histogram<double> EventToDelivery { get; }

    public void Dispose() => _meter.Dispose();
}
