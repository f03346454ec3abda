using Platform.Organizations.Domain;

namespace Platform.Organizations.Tests.Domain;

public class CommunityUpdateTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void An_update_changes_the_details_and_the_event_carries_them()
    {
        var community = Community.Register("银河北路社区", "广阳区", "银河北路街道", 39.5, 116.7, Now).Value!;

        var errors = community.Update(" 新开路社区 ", "安次区", "新开路街道", 39.51, 116.69, Now.AddDays(1));

        Assert.False(errors.Any);
        var updated = community.ToUpdatedEvent();
        Assert.Equal((community.Id, "新开路社区", "安次区", "新开路街道", 39.51, 116.69, Now.AddDays(1)),
            (updated.CommunityId, updated.Name, updated.District, updated.Street, updated.Latitude, updated.Longitude, updated.UpdatedAt));
    }

    [Fact]
    public void A_refused_update_changes_nothing()
    {
        var community = Community.Register("银河北路社区", "广阳区", "银河北路街道", 39.5, 116.7, Now).Value!;

        var errors = community.Update("新名字", "", "街道", 91, 116.7, Now.AddDays(1));

        Assert.Equal(["district", "latitude"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("银河北路社区", "广阳区", 39.5), (community.Name, community.District, community.Latitude));
        Assert.Equal(Now, community.ChangedAt);
    }

    [Fact]
    public void A_correction_made_by_a_clock_that_is_behind_is_still_dated_after_the_change_before_it()
    {
        // Two instances of the service: the second's clock is five seconds behind the first's.
        var community = Community.Register("银河北路社区", "广阳区", "银河北路街道", 39.5, 116.7, Now).Value!;
        community.Update("新开路社区", "广阳区", "新开路街道", 39.51, 116.69, Now.AddMinutes(1));
        var first = community.ToUpdatedEvent();

        community.Update("新华路社区", "广阳区", "新华路街道", 39.52, 116.68, Now.AddMinutes(1).AddSeconds(-5));
        var second = community.ToUpdatedEvent();

        Assert.Equal(Now.AddMinutes(1), first.UpdatedAt);
        Assert.Equal(first.UpdatedAt.AddTicks(10), second.UpdatedAt);
        Assert.Equal("新华路社区", second.Name);
    }
}
