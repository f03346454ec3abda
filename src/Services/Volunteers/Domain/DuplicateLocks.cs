using Platform.ServiceDefaults.Geography;
namespace Platform.Volunteers.Domain;

/// <summary>
/// Keys of the PostgreSQL advisory locks taken before the duplicate check, so that two workers reporting the same
/// hazard at the same moment do not both create a report. The city is cut into cells; an intake locks every cell its
/// 30 m neighbourhood touches. Two reports within 30 m of each other always share a locked cell (each locks the
/// other's cell), so they are checked one after the other; reports far apart do not wait for each other.
/// </summary>
public static class DuplicateLocks
{
    /// <summary>About 55 m of latitude; wider than the radius, so a neighbourhood touches few cells.</summary>
    public const double CellDegrees = 0.0005;
    private const int MaxCells = 64;

    public static IReadOnlyList<long> For(HazardCategory category, GeoPoint position)
    {
        var box = position.BoxAround(HazardReport.DuplicateRadiusMetres);
        var latFrom = Cell(box.MinLatitude);
        var latTo = Cell(box.MaxLatitude);
        var lonFrom = Cell(box.MinLongitude);
        var lonTo = Cell(box.MaxLongitude);
        if ((latTo - latFrom + 1) * (long)(lonTo - lonFrom + 1) > MaxCells)
        {
            // Only near the poles: one lock for the whole category there.
            return [Key(category, int.MaxValue >> 12, int.MaxValue >> 11)];
        }
        var keys = new List<long>();
        for (var lat = latFrom; lat <= latTo; lat++)
        {
            for (var lon = lonFrom; lon <= lonTo; lon++)
            {
                keys.Add(Key(category, lat, lon));
            }
        }
        // Always taken in ascending order, so two intakes never wait on each other in a cycle.
        keys.Sort();
        return keys;
    }

    private static int Cell(double degrees) => (int)Math.Floor(degrees / CellDegrees);

    // category (3 bits used) | latitude cell + offset (20 bits) | longitude cell + offset (21 bits): unique per cell.
    private static long Key(HazardCategory category, int latCell, int lonCell) =>
        ((long)category << 48) | ((long)(latCell + (1 << 19)) << 24) | (long)(lonCell + (1 << 20));
}
