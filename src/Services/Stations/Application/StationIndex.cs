using System.Collections.Concurrent;
using Platform.ServiceDefaults.Geography;
using Platform.Stations.Domain;

namespace Platform.Stations.Application;

/// <summary>What the search answers from memory: an active station's public details as of <see cref="Revision"/>.</summary>
public sealed record StationPin(
    Guid Id,
    string Name,
    HostType HostType,
    Guid CommunityId,
    string District,
    string Address,
    double Latitude,
    double Longitude,
    Amenity Amenities,
    OpeningHours Hours,
    long Revision)
{
    public static StationPin From(Station s) =>
        new(s.Id, s.Name, s.HostType, s.CommunityId, s.District, s.Address, s.Latitude, s.Longitude, s.Amenities, s.Hours, s.Revision);
}

public sealed record NearbyQuery(double Latitude, double Longitude, double RadiusMetres, Amenity Required, DateTimeOffset? OpenAt, int Limit);

public sealed record NearbyHit(StationPin Station, double DistanceMetres);

/// <summary>
/// The in-memory spatial index of active stations: a grid of cells of <see cref="CellDegrees"/> degrees (about 1.1 km
/// north-south), each holding an immutable array of the stations in it. A query reads only the cells that overlap the
/// circle's bounding box, so its cost follows the stations near the point, not all stations.
/// Reads take no lock (cells are replaced, never changed in place); writes are serialized. A station's revision is
/// remembered even after it leaves the index, so a late, older change can never bring back a closed station.
/// </summary>
public sealed class StationIndex
{
    public const double CellDegrees = 0.01;
    private const double MetresPerDegree = GeoPoint.MetresPerDegreeLatitude;
    private const int LonCells = (int)(360 / CellDegrees);

    private readonly ConcurrentDictionary<long, StationPin[]> _cells = new();
    private readonly ConcurrentDictionary<Guid, StationPin> _byId = new();
    private readonly Dictionary<Guid, long> _revisions = [];
    private readonly Lock _write = new();

    public int Count => _byId.Count;

    public StationPin? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>Applies a committed change: an active station is added or moved, a closed one removed. Older revisions are ignored.</summary>
    public bool Apply(Station station) => Apply(station.Id, station.IsActive ? StationPin.From(station) : null, station.Revision);

    public bool Apply(Guid id, StationPin? pin, long revision)
    {
        lock (_write)
        {
            if (_revisions.TryGetValue(id, out var known) && known >= revision)
            {
                return false;
            }
            _revisions[id] = revision;
            if (_byId.TryGetValue(id, out var old))
            {
                RemoveFromCell(old);
            }
            if (pin is null)
            {
                _byId.TryRemove(id, out _);
                return true;
            }
            var key = CellOf(pin.Latitude, pin.Longitude);
            var cell = _cells.GetValueOrDefault(key) ?? [];
            _cells[key] = [.. cell, pin];
            _byId[id] = pin;
            return true;
        }
    }

    private void RemoveFromCell(StationPin old)
    {
        var key = CellOf(old.Latitude, old.Longitude);
        if (_cells.TryGetValue(key, out var cell))
        {
            var rest = Array.FindAll(cell, p => p.Id != old.Id);
            if (rest.Length == 0)
            {
                _cells.TryRemove(key, out _);
            }
            else
            {
                _cells[key] = rest;
            }
        }
    }

    /// <summary>The stations within the radius that have every required amenity (and are open at the time, if asked), nearest first.</summary>
    public IReadOnlyList<NearbyHit> Nearby(NearbyQuery q)
    {
        var latSpan = q.RadiusMetres / MetresPerDegree;
        var minLat = Math.Max(-90, q.Latitude - latSpan);
        var maxLat = Math.Min(90, q.Latitude + latSpan);
        // The longitude span widens towards the poles; near a pole (or for a huge radius) every longitude.
        var cosLat = Math.Cos(Math.Max(Math.Abs(minLat), Math.Abs(maxLat)) * Math.PI / 180);
        var lonSpan = cosLat < 1e-9 ? 180 : Math.Min(180, latSpan / cosLat);
        var hits = new List<NearbyHit>();
        var rowFrom = Row(minLat);
        var rowTo = Row(maxLat);
        var colFrom = Column(q.Longitude - lonSpan);
        var columns = lonSpan >= 180 ? LonCells : Math.Min(LonCells, Column(q.Longitude + lonSpan) - colFrom + 1);
        // Rings of cells around the query's cell, nearest first: once `limit` stations are found nearer than anything
        // outside the rings read so far can be, the rest of the circle is not read (wide radii stay cheap).
        var r0 = Row(q.Latitude);
        var c0 = Column(q.Longitude);
        var (rowMin, rowMax) = (rowFrom - r0, rowTo - r0);
        var (colMin, colMax) = (colFrom - c0, colFrom + columns - 1 - c0);
        var rings = Math.Max(Math.Max(-rowMin, rowMax), Math.Max(-colMin, colMax));
        for (var k = 0; k <= rings; k++)
        {
            for (var dr = Math.Max(-k, rowMin); dr <= Math.Min(k, rowMax); dr++)
            {
                var edgeRow = dr == -k || dr == k;
                var step = edgeRow ? 1 : 2 * k;
                for (var dc = -k; dc <= k; dc += Math.Max(step, 1))
                {
                    if (dc < colMin || dc > colMax)
                    {
                        continue;
                    }
                    var col = (((c0 + dc) % LonCells) + LonCells) % LonCells;
                    if (_cells.TryGetValue(Key(r0 + dr, col), out var cell))
                    {
                        Collect(cell, q, hits);
                    }
                }
            }
            if (hits.Count >= q.Limit && k < rings)
            {
                hits.Sort(ByDistance);
                if (hits[q.Limit - 1].DistanceMetres < NearestOutside(q, r0, c0, k, cosLat))
                {
                    break;
                }
            }
        }
        hits.Sort(ByDistance);
        return hits.Count > q.Limit ? hits.GetRange(0, q.Limit) : hits;
    }

    private static readonly Comparison<NearbyHit> ByDistance = static (a, b) =>
        a.DistanceMetres != b.DistanceMetres ? a.DistanceMetres.CompareTo(b.DistanceMetres) : a.Station.Id.CompareTo(b.Station.Id);

    private static void Collect(StationPin[] cell, NearbyQuery q, List<NearbyHit> hits)
    {
        foreach (var pin in cell)
        {
            if ((pin.Amenities & q.Required) != q.Required)
            {
                continue;
            }
            var d = GeoPoint.Distance(q.Latitude, q.Longitude, pin.Latitude, pin.Longitude);
            if (d > q.RadiusMetres || (q.OpenAt is { } at && !pin.Hours.IsOpenAt(at)))
            {
                continue;
            }
            hits.Add(new NearbyHit(pin, d));
        }
    }

    /// <summary>
    /// A lower bound of the great-circle distance from the query point to any station outside the block of rings 0..k:
    /// from the haversine formula, d &gt;= R·Δφ across a latitude edge, and d &gt;= 2R·asin(cos φmax · sin(Δλ/2)) across a
    /// longitude edge (φmax: the largest |latitude| in the search box). Slightly lowered against rounding.
    /// </summary>
    private static double NearestOutside(NearbyQuery q, int r0, int c0, int k, double cosLat)
    {
        const double toRad = Math.PI / 180;
        var south = ((r0 - k) * CellDegrees) - 90;
        var north = ((r0 + k + 1) * CellDegrees) - 90;
        var dLat = Math.Min(q.Latitude - south, north - q.Latitude);
        var byLat = GeoPoint.EarthRadius * dLat * toRad;
        var byLon = double.PositiveInfinity;
        if ((2 * k) + 1 < LonCells)
        {
            var west = ((c0 - k) * CellDegrees) - 180;
            var east = ((c0 + k + 1) * CellDegrees) - 180;
            var dLon = Math.Min(q.Longitude - west, east - q.Longitude);
            byLon = 2 * GeoPoint.EarthRadius * Math.Asin(Math.Min(1, cosLat * Math.Sin(dLon * toRad / 2)));
        }
        return (Math.Min(byLat, byLon) * (1 - 1e-9)) - 1e-6;
    }

    /// <summary>The same answer by looking at every station: the reference the index is tested and benchmarked against.</summary>
    public IReadOnlyList<NearbyHit> NearbyByFullScan(NearbyQuery q)
    {
        var hits = new List<NearbyHit>();
        foreach (var pin in _byId.Values)
        {
            if ((pin.Amenities & q.Required) != q.Required)
            {
                continue;
            }
            var d = GeoPoint.Distance(q.Latitude, q.Longitude, pin.Latitude, pin.Longitude);
            if (d <= q.RadiusMetres && (q.OpenAt is not { } at || pin.Hours.IsOpenAt(at)))
            {
                hits.Add(new NearbyHit(pin, d));
            }
        }
        hits.Sort(ByDistance);
        return hits.Count > q.Limit ? hits.GetRange(0, q.Limit) : hits;
    }

    /// <summary>Stations inside a longitude/latitude box (for map tiles), in id order, one page at a time.</summary>
    public (IReadOnlyList<StationPin> Items, int Total) InBox(double minLon, double minLat, double maxLon, double maxLat, int skip, int take)
    {
        var all = new List<StationPin>();
        var crossesAntimeridian = minLon > maxLon;
        for (var row = Row(minLat); row <= Row(maxLat); row++)
        {
            var from = Column(minLon);
            var count = crossesAntimeridian ? LonCells - from + Column(maxLon) + 1 : Column(maxLon) - from + 1;
            for (var c = 0; c < count; c++)
            {
                if (_cells.TryGetValue(Key(row, (from + c) % LonCells), out var cell))
                {
                    all.AddRange(cell.Where(p => p.Latitude >= minLat && p.Latitude <= maxLat
                        && (crossesAntimeridian ? p.Longitude >= minLon || p.Longitude <= maxLon : p.Longitude >= minLon && p.Longitude <= maxLon)));
                }
            }
        }
        all.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return (all.Skip(skip).Take(take).ToList(), all.Count);
    }

    /// <summary>Every active station, in id order, one page at a time.</summary>
    public (IReadOnlyList<StationPin> Items, int Total) All(int skip, int take)
    {
        var all = _byId.Values.ToList();
        all.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return (all.Skip(skip).Take(take).ToList(), all.Count);
    }

    private static int Row(double latitude) => (int)Math.Floor((latitude + 90) / CellDegrees);

    private static int Column(double longitude) => (int)Math.Floor((longitude + 180) / CellDegrees);

    private static long CellOf(double latitude, double longitude) => Key(Row(latitude), ((Column(longitude) % LonCells) + LonCells) % LonCells);

    private static long Key(int row, int col) => ((long)row << 32) | (uint)col;
}
