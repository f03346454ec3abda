using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Stations.Domain;

/// <summary>A named group of stations: an integration zone or street service centre of the "red service circle" (红色服务圈).</summary>
public sealed class Zone
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 500;
    /// <summary>A circle is a neighbourhood's stations; the bound keeps a zone's GeoJSON one answer.</summary>
    public const int MaxStations = 2000;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Zone() { }

    public static Validated<Zone> Create(string? name, string? description, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        var validDescription = errors.OptionalText("description", description, DescriptionMaxLength);
        return errors.Any
            ? Validated<Zone>.Invalid(errors)
            : Validated<Zone>.Ok(new Zone { Id = Guid.CreateVersion7(now), Name = validName, Description = validDescription, CreatedAt = now.ToDatabasePrecision() });
    }
}

/// <summary>A station's membership of a zone (a station may belong to several).</summary>
public sealed class ZoneStation
{
    public Guid ZoneId { get; init; }
    public Guid StationId { get; init; }
}
