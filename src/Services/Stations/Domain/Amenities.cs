namespace Platform.Stations.Domain;

/// <summary>What a station offers. Stored as bit flags; travels as a list of kebab-case words ("first-aid-kit").</summary>
[Flags]
public enum Amenity
{
    Water = 1 << 0,
    Charging = 1 << 1,
    Microwave = 1 << 2,
    Rest = 1 << 3,
    Toilet = 1 << 4,
    Heating = 1 << 5,
    Cooling = 1 << 6,
    FirstAidKit = 1 << 7,
    Medicine = 1 << 8,
    Masks = 1 << 9,
    Umbrellas = 1 << 10,
    Reading = 1 << 11,
    WiFi = 1 << 12,
}

/// <summary>The "six cans" (六能) a red station promises; each is derived from the amenities, never set by hand.</summary>
public enum SixCan
{
    /// <summary>Warm up when cold (heating).</summary>
    WarmUp,
    /// <summary>Cool down when hot (cooling).</summary>
    CoolDown,
    /// <summary>Drink when thirsty (water).</summary>
    Drink,
    /// <summary>Rest when tired (seating / rest area).</summary>
    Rest,
    /// <summary>Get medicine when hurt (first-aid kit or medicine).</summary>
    GetMedicine,
    /// <summary>Charge when the battery is low (charging).</summary>
    Charge,
}

public static class Amenities
{
    public static readonly IReadOnlyList<Amenity> All = Enum.GetValues<Amenity>();

    public static Amenity Combine(IEnumerable<Amenity>? amenities) =>
        amenities?.Aggregate(default(Amenity), (all, a) => all | a) ?? default;

    public static IReadOnlyList<Amenity> List(Amenity amenities) => [.. All.Where(a => amenities.HasFlag(a))];

    /// <summary>Which of the six cans a set of amenities provides.</summary>
    public static IReadOnlyList<SixCan> SixCans(Amenity a)
    {
        var cans = new List<SixCan>(6);
        if (a.HasFlag(Amenity.Heating)) cans.Add(SixCan.WarmUp);
        if (a.HasFlag(Amenity.Cooling)) cans.Add(SixCan.CoolDown);
        if (a.HasFlag(Amenity.Water)) cans.Add(SixCan.Drink);
        if (a.HasFlag(Amenity.Rest)) cans.Add(SixCan.Rest);
        if ((a & (Amenity.FirstAidKit | Amenity.Medicine)) != 0) cans.Add(SixCan.GetMedicine);
        if (a.HasFlag(Amenity.Charging)) cans.Add(SixCan.Charge);
        return cans;
    }

    /// <summary>The amenities in events: kebab-case words, as in JSON.</summary>
    public static IReadOnlyList<string> Codes(Amenity a) => [.. List(a).Select(x => Platform.ServiceDefaults.Http.KebabEnum.Name(x))];
}
