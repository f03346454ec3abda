namespace Platform.TestSupport;

/// <summary>Bounded polling: waits for something that happens asynchronously (a consumer, the outbox), never forever.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value.
    /// Throws a <see cref="TimeoutException"/> naming <paramref name="what"/> and the last value after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> Until<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        var last = "(no answer yet)";
        while (true)
        {
            try
            {
                var value = await probe(deadline.Token);
                if (done(value))
                {
                    return value;
                }
                last = value?.ToString() ?? "null";
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // Reported below.
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds} s; last value: {last}");
            }
            try
            {
                await Task.Delay(Interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // One last probe above would race the deadline; report instead.
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds} s; last value: {last}");
            }
        }
    }
}
