using Platform.Organizations.Domain;

namespace Platform.Organizations.Tests.Domain;

public class CommunityTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_valid_community_is_registered_with_trimmed_fields()
    {
        var result = Community.Register("  银河北路社区 ", "\t广阳区", " 银河北路街道  ", 39.5186, 116.6946, Now);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        var community = result.Value!;
        Assert.Equal("银河北路社区", community.Name);
        Assert.Equal("广阳区", community.District);
        Assert.Equal("银河北路街道", community.Street);
        Assert.Equal(39.5186, community.Latitude);
        Assert.Equal(116.6946, community.Longitude);
        Assert.Equal(Now, community.RegisteredAt);
        Assert.NotEqual(Guid.Empty, community.Id);
        Assert.Equal(7, community.Id.Version);
    }

    [Fact]
    public void Two_registrations_get_different_ids()
    {
        var a = Community.Register("甲社区", "广阳区", "街道", 0, 0, Now).Value!;
        var b = Community.Register("甲社区", "广阳区", "街道", 0, 0, Now).Value!;

        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once()
    {
        var result = Community.Register(null, null, null, null, null, Now);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(["district", "latitude", "longitude", "name", "street"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.Contains("required", Assert.Single(e.Value)));
    }

    [Fact]
    public void Blank_texts_count_as_missing()
    {
        var result = Community.Register("   ", "", "\t\n", 1, 1, Now);

        Assert.Equal(["district", "name", "street"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Texts_longer_than_their_limit_are_refused_and_the_limit_itself_is_accepted()
    {
        var atLimit = Community.Register(new string('名', 100), new string('区', 50), new string('街', 50), 0, 0, Now);
        var tooLong = Community.Register(new string('名', 101), new string('区', 51), new string('街', 51), 0, 0, Now);

        Assert.True(atLimit.IsValid);
        Assert.Equal(["district", "name", "street"], tooLong.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("at most 100", tooLong.Errors["name"][0]);
        Assert.Contains("at most 50", tooLong.Errors["district"][0]);
    }

    [Fact]
    public void Surrounding_spaces_do_not_count_towards_the_limit()
    {
        Assert.True(Community.Register($"  {new string('名', 100)}  ", "区", "街", 0, 0, Now).IsValid);
    }

    [Theory]
    [InlineData(-90.0, -180.0)]
    [InlineData(90.0, 180.0)]
    [InlineData(-90.0, 180.0)]
    [InlineData(90.0, -180.0)]
    [InlineData(0.0, 0.0)]
    public void Coordinates_on_the_boundaries_are_accepted(double latitude, double longitude)
    {
        var result = Community.Register("社区", "区", "街道", latitude, longitude, Now);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(latitude, result.Value!.Latitude);
        Assert.Equal(longitude, result.Value.Longitude);
    }

    [Theory]
    [InlineData(90.000001, 0.0, "latitude")]
    [InlineData(-90.000001, 0.0, "latitude")]
    [InlineData(91.0, 0.0, "latitude")]
    [InlineData(0.0, 180.000001, "longitude")]
    [InlineData(0.0, -180.000001, "longitude")]
    [InlineData(0.0, 181.0, "longitude")]
    [InlineData(double.NaN, 0.0, "latitude")]
    [InlineData(0.0, double.NaN, "longitude")]
    [InlineData(double.PositiveInfinity, 0.0, "latitude")]
    [InlineData(0.0, double.NegativeInfinity, "longitude")]
    public void Coordinates_beyond_the_range_or_not_a_number_are_refused(double latitude, double longitude, string field)
    {
        var result = Community.Register("社区", "区", "街道", latitude, longitude, Now);

        Assert.False(result.IsValid);
        Assert.Equal([field], result.Errors.Keys);
        Assert.Contains("between", Assert.Single(result.Errors[field]));
    }

    [Fact]
    public void Both_coordinates_wrong_and_a_name_missing_are_reported_together()
    {
        var result = Community.Register(null, "区", "街道", 91, double.NaN, Now);

        Assert.Equal(["latitude", "longitude", "name"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_event_carries_the_community_as_registered()
    {
        var community = Community.Register(" 新开路社区 ", "广阳区", "新开路街道", 39.52, 116.70, Now).Value!;

        var e = community.ToEvent();

        Assert.Equal(community.Id, e.CommunityId);
        Assert.Equal("新开路社区", e.Name);
        Assert.Equal("广阳区", e.District);
        Assert.Equal("新开路街道", e.Street);
        Assert.Equal(39.52, e.Latitude);
        Assert.Equal(116.70, e.Longitude);
        Assert.Equal(Now, e.RegisteredAt);
    }
}
