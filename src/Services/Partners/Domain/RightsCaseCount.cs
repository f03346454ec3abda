using Platform.ServiceDefaults.Time;
namespace Platform.Partners.Domain;

/// <summary>
/// Rights cases opened and resolved in one month, district and category: all the partners service keeps of rights
/// cases (never a case id beyond the inbox, never content), so that agencies can only ever receive counts.
/// </summary>
public sealed class RightsCaseCount
{
    public const string UnknownDistrict = "unknown";

    public string Month { get; private set; } = "";
    public string District { get; private set; } = "";
    public string Category { get; private set; } = "";
    public int Opened { get; private set; }
    public int Resolved { get; private set; }

    private RightsCaseCount() { }

    public static RightsCaseCount Start(string month, string? district, string category) =>
        new() { Month = month, District = district ?? UnknownDistrict, Category = category };

    public void CountOpened() => Opened++;

    public void CountResolved() => Resolved++;

    /// <summary>The month (yyyy-MM) an instant falls in, in the city's time zone.</summary>
    public static string MonthOf(DateTimeOffset instant) => CityClock.MonthOf(instant);

    /// <summary>The last month that has fully ended at <paramref name="now"/> (city time).</summary>
    public static string LastClosedMonth(DateTimeOffset now)
    {
        var local = CityClock.LocalDateTime(now);
        return new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(-1)
            .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="month"/> (yyyy-MM) has ended at <paramref name="now"/>.</summary>
    public static bool HasEnded(string month, DateTimeOffset now) =>
        string.CompareOrdinal(month, MonthOf(now)) < 0;
}

/// <summary>Marks that a month's counts were queued for a subscription, so each month goes out once.</summary>
public sealed class MonthlyReportSent
{
    public Guid SubscriptionId { get; set; }
    public string Month { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
}
