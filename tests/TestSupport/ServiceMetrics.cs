using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Platform.TestSupport;

/// <summary>Observes one instrument of one running service (its own meter factory: other services in the process are not seen).</summary>
public static class ServiceMetrics
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static MetricCollector<T> Collect<T>(this IServiceProvider services, string meterName, string instrumentName) where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), meterName, instrumentName);

    /// <summary>Waits (bounded) until at least <paramref name="count"/> measurements were recorded, and returns them all.</summary>
    public static async Task<IReadOnlyList<CollectedMeasurement<T>>> WaitForAsync<T>(this MetricCollector<T> collector, int count = 1) where T : struct
    {
        ArgumentNullException.ThrowIfNull(collector);
        try
        {
            await collector.WaitForMeasurementsAsync(count, Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{collector.Instrument?.Name ?? "the instrument"}: {collector.GetMeasurementSnapshot().Count} of {count} measurements within {Timeout.TotalSeconds} s");
        }
        return collector.GetMeasurementSnapshot();
    }

    /// <summary>Reads an observable gauge until it shows <paramref name="expected"/> (bounded).</summary>
    public static Task GaugeReachesAsync<T>(this MetricCollector<T> collector, T expected, string what) where T : struct =>
        Eventually.Until(_ =>
        {
            ArgumentNullException.ThrowIfNull(collector);
            collector.RecordObservableInstruments();
            return Task.FromResult(collector.LastMeasurement?.Value);
        }, value => value.HasValue && EqualityComparer<T>.Default.Equals(value.Value, expected), what, Timeout);
}
