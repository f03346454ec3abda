namespace Platform.Volunteers.Domain;

/// <summary>open -> acknowledged -> in progress -> closed (with notes); rejected (with a reason) from any open state.</summary>
public enum HazardStatus
{
    Open,
    Acknowledged,
    InProgress,
    Closed,
    Rejected,
}

public static class HazardStatuses
{
    public static bool IsFinal(this HazardStatus status) => status is HazardStatus.Closed or HazardStatus.Rejected;

    /// <summary>The two statuses of Open311 GeoReport v2: everything not final is "open".</summary>
    public static string Open311(this HazardStatus status) => status.IsFinal() ? "closed" : "open";

    /// <summary>
    /// The next statuses a report may take. Steps are not skipped forward (a department acknowledges before it works),
    /// except that rejection is possible at any point before the end.
    /// </summary>
    public static IReadOnlyList<HazardStatus> Next(this HazardStatus status) => status switch
    {
        HazardStatus.Open => [HazardStatus.Acknowledged, HazardStatus.Rejected],
        HazardStatus.Acknowledged => [HazardStatus.InProgress, HazardStatus.Rejected],
        HazardStatus.InProgress => [HazardStatus.Closed, HazardStatus.Rejected],
        _ => [],
    };
}
