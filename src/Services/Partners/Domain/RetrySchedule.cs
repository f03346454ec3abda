namespace Platform.Partners.Domain;

/// <summary>
/// When a failed delivery is tried again: exponential steps over more than a day (the Standard Webhooks schedule),
/// each with ±20% jitter so that deliveries failing together do not come back together.
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>After attempt 1 fails wait 5 s, after attempt 2 5 min, ... 8 attempts over about 27.6 hours.</summary>
    public static readonly RetrySchedule Default = new([
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)]);

    private const double Jitter = 0.2;

    public RetrySchedule(IReadOnlyList<TimeSpan> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        if (delays.Count == 0 || delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("A retry schedule needs at least one non-negative delay.", nameof(delays));
        }
        Delays = delays;
    }

    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts => Delays.Count + 1;

    /// <summary>Total waiting time between the first and the last attempt, without jitter.</summary>
    public TimeSpan Span => Delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);

    /// <summary>The wait after attempt number <paramref name="attemptsMade"/> failed, or null when that was the last.</summary>
    /// <remarks><paramref name="random"/> in [0, 1) chooses the jitter.</remarks>
    public TimeSpan? DelayAfter(int attemptsMade, double random)
    {
        if (attemptsMade < 1 || attemptsMade > Delays.Count)
        {
            return null;
        }
        var delay = Delays[attemptsMade - 1];
        return delay * (1 - Jitter + 2 * Jitter * random);
    }

    /// <summary>Reads "00:00:05, 00:05:00, ..." (configuration), or the default when empty.</summary>
    public static RetrySchedule Parse(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? Default
            : new RetrySchedule(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => TimeSpan.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
}
