namespace Platform.TestSupport;

/// <summary>
/// A clock that runs with real time plus an offset the test moves forward: deadlines pass and sessions start without
/// waiting for them in real time (background work that waits on the clock keeps running).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; private set; }

    public void Advance(TimeSpan by) => Offset += by;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}
