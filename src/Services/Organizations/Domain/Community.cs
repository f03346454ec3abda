using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>A village or community (村居/社区) where workers report in; owned by this service, copied by all others.</summary>
public sealed class Community
{
    public const int NameMaxLength = 100;
    public const int PlaceMaxLength = 50;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string District { get; private set; } = "";
    /// <summary>Township or street (乡镇/街道).</summary>
    public string Street { get; private set; } = "";
    public double Latitude { get; private set; }
    public double Longitude { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>
    /// When the details held were set (registration or the latest correction): the time every copy orders this
    /// community's events by. Each change is dated strictly after the one before, so copies keep the last committed
    /// details even when the instances that committed two changes have clocks that disagree.
    /// </summary>
    public DateTimeOffset ChangedAt { get; private set; }

    private Community() { }

    /// <summary>Registers a community: name, district and street are required; coordinates are WGS-84 and in range.</summary>
    public static Validated<Community> Register(string? name, string? district, string? street, double? latitude, double? longitude, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var community = new Community
        {
            Id = Guid.CreateVersion7(now),
            Name = errors.Text("name", name, NameMaxLength),
            District = errors.Text("district", district, PlaceMaxLength),
            Street = errors.Text("street", street, PlaceMaxLength),
            RegisteredAt = now,
            ChangedAt = now,
        };
        (community.Latitude, community.Longitude) = errors.Position(latitude, longitude);
        return errors.Any ? Validated<Community>.Invalid(errors) : Validated<Community>.Ok(community);
    }

    /// <summary>
    /// Corrects the community's details under the same rules as registration, dated <paramref name="now"/> or, when
    /// this clock is behind the one that dated the previous change, just after that change. On refusal nothing changes.
    /// </summary>
    public FieldErrors Update(string? name, string? district, string? street, double? latitude, double? longitude, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        var validDistrict = errors.Text("district", district, PlaceMaxLength);
        var validStreet = errors.Text("street", street, PlaceMaxLength);
        var (validLatitude, validLongitude) = errors.Position(latitude, longitude);
        if (!errors.Any)
        {
            (Name, District, Street, Latitude, Longitude) = (validName, validDistrict, validStreet, validLatitude, validLongitude);
            var at = now.ToDatabasePrecision();
            // One microsecond: the finest step the database keeps.
            ChangedAt = at > ChangedAt ? at : ChangedAt.AddTicks(10);
        }
        return errors;
    }

    public CommunityUpdated ToUpdatedEvent() => new(Id, Name, District, Street, Latitude, Longitude, ChangedAt);

    public CommunityRegistered ToEvent() => new(Id, Name, District, Street, Latitude, Longitude, RegisteredAt);
}
