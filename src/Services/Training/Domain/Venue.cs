using Platform.Contracts;

namespace Platform.Training.Domain;

/// <summary>
/// Local copy of a red station where courses can be held, fed by the stations service's events. Events may arrive
/// late, twice or out of order: details apply only when newer than what is held, and a closure is final.
/// </summary>
public sealed class Venue
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public Guid CommunityId { get; private set; }
    public string District { get; private set; } = "";
    public double Latitude { get; private set; }
    public double Longitude { get; private set; }
    /// <summary>Time of the event the details come from; null while only a closure is known.</summary>
    public DateTimeOffset? DetailsAsOf { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOpen => ClosedAt is null && DetailsAsOf is not null;

    private Venue() { }

    public static Venue Known(Guid stationId) => new() { Id = stationId };

    public void Apply(StationOpened e) => ApplyDetails(e.Name, e.CommunityId, e.District, e.Latitude, e.Longitude, e.OccurredAt);

    public void Apply(StationUpdated e) => ApplyDetails(e.Name, e.CommunityId, e.District, e.Latitude, e.Longitude, e.OccurredAt);

    public void Apply(StationClosed e)
    {
        if (ClosedAt is null || e.OccurredAt < ClosedAt)
        {
            ClosedAt = e.OccurredAt;
        }
    }

    private void ApplyDetails(string name, Guid communityId, string district, double latitude, double longitude, DateTimeOffset occurredAt)
    {
        if (DetailsAsOf is not null && occurredAt <= DetailsAsOf)
        {
            return;
        }
        Name = name;
        CommunityId = communityId;
        District = district;
        Latitude = latitude;
        Longitude = longitude;
        DetailsAsOf = occurredAt;
    }
}
