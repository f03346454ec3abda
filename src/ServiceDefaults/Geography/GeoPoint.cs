namespace Platform.ServiceDefaults.Geography;

/// <summary>
/// A WGS-84 position (what phones and the city's maps give) and the geometry the services need: great-circle distance
/// and the box an index scan reads before the exact distance is computed.
/// </summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Mean earth radius (IUGG), metres.</summary>
    public const double EarthRadius = 6_371_008.8;

    /// <summary>Metres along a meridian per degree of latitude.</summary>
    public const double MetresPerDegreeLatitude = Math.PI * EarthRadius / 180;

    /// <summary>Great-circle distance in metres (haversine: stable for the short distances riders and reports are about).</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        const double toRad = Math.PI / 180;
        var dLat = (lat2 - lat1) * toRad;
        var dLon = (lon2 - lon1) * toRad;
        var sinLat = Math.Sin(dLat / 2);
        var sinLon = Math.Sin(dLon / 2);
        var h = (sinLat * sinLat) + (Math.Cos(lat1 * toRad) * Math.Cos(lat2 * toRad) * sinLon * sinLon);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public double DistanceTo(GeoPoint other) => Distance(Latitude, Longitude, other.Latitude, other.Longitude);

    /// <summary>
    /// The point <paramref name="metresNorth"/> north and <paramref name="metresEast"/> east of this one (negative: south,
    /// west). Flat within a city: the east step is measured at the middle latitude of the move, which keeps the
    /// distance right to a millimetre over 10 km at Langfang's latitude.
    /// </summary>
    public GeoPoint Offset(double metresNorth, double metresEast)
    {
        const double toRad = Math.PI / 180;
        var latitude = Latitude + (metresNorth / MetresPerDegreeLatitude);
        var cos = Math.Max(Math.Cos((Latitude + latitude) / 2 * toRad), 1e-6);
        return new GeoPoint(latitude, Longitude + (metresEast / (MetresPerDegreeLatitude * cos)));
    }

    /// <summary>
    /// A latitude/longitude box that contains every point within <paramref name="metres"/>: what an index range scan
    /// reads before the exact distance is computed. Longitude degrees shrink towards the poles, so the box widens there.
    /// </summary>
    public (double MinLatitude, double MaxLatitude, double MinLongitude, double MaxLongitude) BoxAround(double metres)
    {
        const double toRad = Math.PI / 180;
        var dLat = metres / MetresPerDegreeLatitude;
        var cos = Math.Max(Math.Cos(Math.Min(89.9, Math.Abs(Latitude) + dLat) * toRad), 1e-6);
        var dLon = Math.Min(180, metres / (MetresPerDegreeLatitude * cos));
        return (Latitude - dLat, Latitude + dLat, Longitude - dLon, Longitude + dLon);
    }
}
