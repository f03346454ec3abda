using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Platform.Benchmarks.Messaging;

/// <summary>
/// Counts consumed benchmark messages as MassTransit reports them after the consumer returned (for the kit's
/// consumer: after the effect's transaction committed), notes the moment a target count is reached, and optionally
/// records each message's commit-to-effect latency.
/// </summary>
public sealed class EffectProbe : IConsumeObserver
{
    private long _count;
    private long _faults;
    private long _target = long.MaxValue;
    private long _reachedAt;
    private TaskCompletionSource _reached = NewSignal();
    private ConcurrentQueue<double>? _latencies;

    public long Count => Interlocked.Read(ref _count);
    public long Faults => Interlocked.Read(ref _faults);
    /// <summary><see cref="Stopwatch"/> timestamp at which the count reached the target.</summary>
    public long ReachedAt => Interlocked.Read(ref _reachedAt);
    public IReadOnlyCollection<double> LatenciesMs => _latencies?.ToArray() ?? [];

    /// <summary>Starts a new measurement. Only call while no benchmark message is in flight.</summary>
    public void Reset(bool recordLatencies)
    {
        _reached = NewSignal();
        Interlocked.Exchange(ref _target, long.MaxValue);
        Interlocked.Exchange(ref _reachedAt, 0);
        Interlocked.Exchange(ref _faults, 0);
        _latencies = recordLatencies ? new ConcurrentQueue<double>() : null;
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>Sets the count to wait for (may be set after the messages started to arrive).</summary>
    public void SetTarget(long target)
    {
        Interlocked.Exchange(ref _target, target);
        if (Count >= target)
        {
            Complete();
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _reached.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Count} of {Interlocked.Read(ref _target)} messages took effect within {timeout.TotalSeconds:0} s ({Faults} consumer faults).");
        }
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        DateTimeOffset? committedAt = context.Message switch
        {
            BenchEvent e => e.CommittedAt,
            ReferenceEvent e => e.CommittedAt,
            _ => null,
        };
        if (committedAt is null)
        {
            return Task.CompletedTask;
        }
        _latencies?.Enqueue((DateTimeOffset.UtcNow - committedAt.Value).TotalMilliseconds);
        if (Interlocked.Increment(ref _count) == Interlocked.Read(ref _target))
        {
            Complete();
        }
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        Interlocked.Increment(ref _faults);
        return Task.CompletedTask;
    }

    private void Complete()
    {
        Interlocked.CompareExchange(ref _reachedAt, Stopwatch.GetTimestamp(), 0);
        _reached.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
