using Platform.Communities;
using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Stations.Domain;

public enum HostType
{
    /// <summary>Party-and-people service centre (党群服务中心).</summary>
    PartyServiceCentre,
    StreetCommunity,
    VolunteerAssociation,
    BankBranch,
    Enterprise,
    Other,
}

public enum StationStatus
{
    Active,
    /// <summary>Closed for good; a temporary closure is an exception in the opening hours instead.</summary>
    Closed,
}

/// <summary>The details an officer gives when opening or editing a station.</summary>
public sealed record StationDetails(
    string? Name,
    HostType? HostType,
    Guid? CommunityId,
    string? Address,
    double? Latitude,
    double? Longitude,
    HoursDocument? Hours,
    IReadOnlyList<Amenity>? Amenities);

/// <summary>A red station (红色驿站): where outdoor workers warm up, cool down, drink, rest, get medicine and charge.</summary>
public sealed class Station
{
    public const int NameMaxLength = 100;
    public const int AddressMaxLength = 200;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public HostType HostType { get; private set; }
    public Guid CommunityId { get; private set; }
    /// <summary>From the community, for events and statistics.</summary>
    public string District { get; private set; } = "";
    public string Address { get; private set; } = "";
    public double Latitude { get; private set; }
    public double Longitude { get; private set; }
    public OpeningHours Hours { get; private set; } = OpeningHours.Closed;
    public Amenity Amenities { get; private set; }
    public StationStatus Status { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>Position in the order of committed station changes; the search index follows it (see StationChanges).</summary>
    public long Revision { get; set; }

    private Station() { }

    public bool IsActive => Status == StationStatus.Active;

    public static Validated<Station> Open(StationDetails details, LocalCommunity? community, DateTimeOffset now)
    {
        var station = new Station { Id = Guid.CreateVersion7(now), OpenedAt = now.ToDatabasePrecision(), Status = StationStatus.Active };
        var errors = station.Apply(details, community);
        return errors.Any ? Validated<Station>.Invalid(errors) : Validated<Station>.Ok(station);
    }

    /// <summary>Replaces the details (all of them, as for opening). Nothing changes when any is invalid.</summary>
    public FieldErrors Update(StationDetails details, LocalCommunity? community)
    {
        var copy = (Station)MemberwiseClone();
        var errors = copy.Apply(details, community);
        if (!errors.Any)
        {
            (Name, HostType, CommunityId, District, Address, Latitude, Longitude, Hours, Amenities) =
                (copy.Name, copy.HostType, copy.CommunityId, copy.District, copy.Address, copy.Latitude, copy.Longitude, copy.Hours, copy.Amenities);
        }
        return errors;
    }

    private FieldErrors Apply(StationDetails d, LocalCommunity? community)
    {
        var errors = new FieldErrors();
        Name = errors.Text("name", d.Name, NameMaxLength);
        HostType = errors.Required("hostType", d.HostType);
        Address = errors.Text("address", d.Address, AddressMaxLength);
        SetLocation(errors, d.Latitude, d.Longitude);
        if (d.CommunityId is null)
        {
            errors.Add("communityId", "communityId is required.");
        }
        else if (community is null)
        {
            errors.Add("communityId", "communityId is not a community known to this service (registered with the organizations service).");
        }
        else
        {
            CommunityId = community.Id;
            District = community.District;
        }
        Hours = d.Hours is null ? OpeningHours.Closed : d.Hours.ToHours(errors, "hours") ?? OpeningHours.Closed;
        if (d.Hours is null)
        {
            errors.Add("hours", "hours is required (weekly spans, and exceptions if any).");
        }
        Amenities = Domain.Amenities.Combine(d.Amenities);
        return errors;
    }

    private void SetLocation(FieldErrors errors, double? latitude, double? longitude)
    {
        (Latitude, Longitude) = errors.Position(latitude, longitude);
    }

    /// <summary>The keeper keeps the hours current (holidays, temporary closures).</summary>
    public FieldErrors SetHours(HoursDocument? hours)
    {
        var errors = new FieldErrors();
        if (hours is null)
        {
            errors.Add("hours", "hours is required.");
            return errors;
        }
        var parsed = hours.ToHours(errors, "hours");
        if (parsed is not null)
        {
            Hours = parsed;
        }
        return errors;
    }

    public void SetAmenities(IReadOnlyList<Amenity>? amenities) => Amenities = Domain.Amenities.Combine(amenities);

    /// <summary>Closes for good. False when already closed.</summary>
    public bool Close(DateTimeOffset now)
    {
        if (!IsActive)
        {
            return false;
        }
        Status = StationStatus.Closed;
        ClosedAt = now.ToDatabasePrecision();
        return true;
    }

    public OpenState StateAt(DateTimeOffset instant) =>
        IsActive ? Hours.StateAt(instant) : new OpenState(false, null, null);

    public StationOpened ToOpened() => new(Id, Name, CommunityId, District, Latitude, Longitude, Domain.Amenities.Codes(Amenities), OpenedAt);

    public StationUpdated ToUpdated(DateTimeOffset now) => new(Id, Name, CommunityId, District, Latitude, Longitude, Domain.Amenities.Codes(Amenities), now);

    public StationClosed ToClosed() => new(Id, ClosedAt ?? OpenedAt);
}
