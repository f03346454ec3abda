using Platform.ServiceDefaults.Geography;

namespace Platform.ServiceDefaults.Tests;

public class GeoPointTests
{
    private static readonly GeoPoint Langfang = new(39.5186, 116.6946);

    [Theory]
    [InlineData(1_000, 0)]
    [InlineData(0, 1_000)]
    [InlineData(-6_000, 6_000)]
    [InlineData(55, -55)]
    public void A_point_so_many_metres_away_is_that_far_away(double north, double east)
    {
        var there = Langfang.Offset(north, east);

        var expected = Math.Sqrt((north * north) + (east * east));
        Assert.InRange(Langfang.DistanceTo(there), expected - 0.01, expected + 0.01);
        Assert.Equal(Math.Sign(north), Math.Sign(there.Latitude - Langfang.Latitude));
        Assert.Equal(Math.Sign(east), Math.Sign(there.Longitude - Langfang.Longitude));
    }
}
