using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>The messaging kit's own traces and metrics (outbox backlog, publish, applied and duplicate counts).</summary>
public sealed class MessagingTelemetry : IDisposable
{
    public const string ActivitySourceName = "Platform.Messaging";
    public const string MeterName = "Platform.Messaging";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Meter _meter;
    private long _pending;
    private double _oldestPendingAgeSeconds;

    public MessagingTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("platform.outbox.pending", () => Volatile.Read(ref _pending), "{event}",
            "Integration events committed but not yet confirmed by the broker.");
        _meter.CreateObservableGauge("platform.outbox.oldest_pending_age", () => Volatile.Read(ref _oldestPendingAgeSeconds), "s",
            "Age of the oldest event still waiting in the outbox.");
        Published = _meter.CreateCounter<long>("platform.outbox.published", "{event}", "Integration events published and confirmed by the broker.");
        PublishFailures = _meter.CreateCounter<long>("platform.outbox.publish_failures", "{event}", "Publish attempts that failed and will be retried.");
        Applied = _meter.CreateCounter<long>("platform.inbox.applied", "{message}",
            "Messages a consumer applied (each once, by one instance: with several instances each counts its own share).");
        Duplicates = _meter.CreateCounter<long>("platform.inbox.duplicates", "{message}", "Redelivered messages a consumer had already handled (skipped).");
    }

    internal Counter<long> Published { get; }
    internal Counter<long> PublishFailures { get; }
    internal Counter<long> Applied { get; }
    internal Counter<long> Duplicates { get; }

    internal void ObserveBacklog(long pending, double oldestAgeSeconds)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _oldestPendingAgeSeconds, oldestAgeSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
