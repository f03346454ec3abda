using System.Text.RegularExpressions;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;
using Platform.ServiceDefaults.Geography;

namespace Platform.Volunteers.Domain;

/// <summary>
/// One row of the routing table officers edit: which department fixes a category of hazard in a district. The row
/// with <see cref="HazardRouting.AnyDistrict"/> is the city-wide rule a district row overrides.
/// </summary>
public sealed partial class HazardRoute
{
    public const int DepartmentMaxLength = 50;

    public HazardCategory Category { get; private set; }
    public string District { get; private set; } = "";
    public string Department { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    private HazardRoute() { }

    public static HazardRoute CityWide(HazardCategory category, string department, DateTimeOffset at) =>
        new() { Category = category, District = HazardRouting.AnyDistrict, Department = department, UpdatedAt = at };

    /// <summary>A rule for one district (or the city-wide rule when <paramref name="district"/> is blank).</summary>
    public static Validated<HazardRoute> Define(HazardCategory? category, string? district, string? department, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var route = new HazardRoute
        {
            Category = errors.Required("category", category),
            District = errors.OptionalText("district", district, 50) ?? HazardRouting.AnyDistrict,
            Department = ValidDepartment(errors, department),
            UpdatedAt = now.ToDatabasePrecision(),
        };
        return errors.Any ? Validated<HazardRoute>.Invalid(errors) : Validated<HazardRoute>.Ok(route);
    }

    public void Reassign(string department, DateTimeOffset now)
    {
        Department = department;
        UpdatedAt = now.ToDatabasePrecision();
    }

    /// <summary>Department codes are the partner agencies' client ids: lower-case words joined by dashes ("urban-management").</summary>
    public static string ValidDepartment(FieldErrors errors, string? department)
    {
        var value = errors.Text("department", department, DepartmentMaxLength);
        if (value.Length > 0 && !DepartmentCode().IsMatch(value))
        {
            errors.Add("department", "department must be a code of lower-case letters, digits and dashes, e.g. urban-management.");
        }
        return value;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex DepartmentCode();
}

/// <summary>Where a report goes: its district, its community and the department responsible.</summary>
public sealed record RoutedTo(string District, Guid? CommunityId, string Department);

/// <summary>The routing rules: the district's own rule first, else the city-wide rule, else the category's default.</summary>
public static class HazardRouting
{
    /// <summary>The district of the city-wide rules.</summary>
    public const string AnyDistrict = "";
    /// <summary>The district of a report far from every known community.</summary>
    public const string UnknownDistrict = "unknown";
    /// <summary>A report belongs to the nearest community only within this distance.</summary>
    public const double CommunityReachMetres = 5_000;

    /// <summary>Routes a report by its category's rules (district, department) and the communities near it.</summary>
    public static RoutedTo Route(HazardCategory category, GeoPoint position, IEnumerable<(string District, string Department)> categoryRules, IEnumerable<(Guid Id, string District, GeoPoint Office)> communities)
    {
        var nearest = communities
            .Select(c => (c.Id, c.District, Distance: c.Office.DistanceTo(position)))
            .Where(c => c.Distance <= CommunityReachMetres)
            .OrderBy(c => c.Distance)
            .Select(c => ((Guid, string)?)(c.Id, c.District))
            .FirstOrDefault();
        var district = nearest?.Item2 ?? UnknownDistrict;
        var rules = categoryRules.ToList();
        var department = rules.Where(r => r.District == district).Select(r => r.Department).FirstOrDefault()
                         ?? rules.Where(r => r.District == AnyDistrict).Select(r => r.Department).FirstOrDefault()
                         ?? HazardCategoryInfo.Of(category).DefaultDepartment;
        return new RoutedTo(district, nearest?.Item1, department);
    }
}
