using Platform.ServiceDefaults.Time;
namespace Platform.Stations.Domain;

/// <summary>A worker's visit to a station, recorded when the worker's app submits the station's signed QR code.</summary>
public sealed class CheckIn
{
    /// <summary>Scanning twice in this window (a double tap, a second try on a bad network) is one visit.</summary>
    public static readonly TimeSpan SameVisit = TimeSpan.FromMinutes(30);

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public Guid WorkerId { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>Local (Asia/Shanghai) date and hour, kept for "visits by day and hour" without time-zone arithmetic in SQL.</summary>
    public DateOnly LocalDate { get; private set; }
    public int LocalHour { get; private set; }

    private CheckIn() { }

    public static CheckIn Record(Guid stationId, Guid workerId, DateTimeOffset now)
    {
        var local = CityClock.LocalDateTime(now);
        return new CheckIn
        {
            Id = Guid.CreateVersion7(now),
            StationId = stationId,
            WorkerId = workerId,
            At = Platform.ServiceDefaults.Data.DatabaseTime.ToDatabasePrecision(now),
            LocalDate = DateOnly.FromDateTime(local),
            LocalHour = local.Hour,
        };
    }
}
