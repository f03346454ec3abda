namespace Platform.TestSupport;

/// <summary>
/// A clock that runs with real time plus an offset the test moves forward: deadlines pass and sessions start without
/// waiting for them in real time (background work that waits on the clock keeps running).
/// </summary>
public sealed class ShiftedClock(TimeSpan offset = default) : TimeProvider
{
    /// <summary>How far this clock is ahead of real time (behind, when negative: another machine's clock).</summary>
    public TimeSpan Offset { get; private set; } = offset;

    public void Advance(TimeSpan by) => Offset += by;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}
