namespace Platform.Volunteers.Domain;

/// <summary>A WGS-84 position and the geometry the duplicate check needs.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    private const double EarthRadiusMetres = 6_371_008.8;
    private const double MetresPerDegreeLatitude = Math.PI * EarthRadiusMetres / 180;

    /// <summary>Great-circle distance (haversine) in metres.</summary>
    public double DistanceTo(GeoPoint other)
    {
        var dLat = ToRadians(other.Latitude - Latitude);
        var dLon = ToRadians(other.Longitude - Longitude);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(ToRadians(Latitude)) * Math.Cos(ToRadians(other.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// A latitude/longitude box that contains every point within <paramref name="metres"/>: what an index range scan
    /// reads before the exact distance is computed. Longitude degrees shrink towards the poles, so the box widens there.
    /// </summary>
    public (double MinLatitude, double MaxLatitude, double MinLongitude, double MaxLongitude) BoxAround(double metres)
    {
        var dLat = metres / MetresPerDegreeLatitude;
        var cos = Math.Max(Math.Cos(ToRadians(Math.Min(89.9, Math.Abs(Latitude) + dLat))), 1e-6);
        var dLon = Math.Min(180, metres / (MetresPerDegreeLatitude * cos));
        return (Latitude - dLat, Latitude + dLat, Longitude - dLon, Longitude + dLon);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
