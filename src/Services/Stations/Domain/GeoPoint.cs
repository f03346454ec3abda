namespace Platform.Stations.Domain;

/// <summary>A WGS-84 position and the great-circle distance used everywhere in this service.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Mean earth radius (IUGG), metres.</summary>
    public const double EarthRadius = 6_371_008.8;

    public static bool IsValid(double latitude, double longitude) =>
        double.IsFinite(latitude) && double.IsFinite(longitude) && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180;

    /// <summary>Great-circle distance in metres (haversine: stable for short distances, which is what a rider asks about).</summary>
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
}
