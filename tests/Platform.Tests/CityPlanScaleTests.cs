using Platform.DemoCity;
using Platform.ServiceDefaults.Geography;

namespace Platform.Tests;

/// <summary>A city ten times the report's, as planned (no platform needed): its figures, and nothing in it twice.</summary>
public sealed class CityPlanScaleTests
{
    [Fact]
    public void Ten_times_the_report_gives_ten_times_its_people_places_and_records()
    {
        var plan = new CityPlan(10);

        Assert.Equal(2_370, plan.Communities.Count);
        Assert.Equal(2_410, plan.Stations.Count);
        Assert.Equal(75_000, plan.Workers.Count);
        Assert.Equal(6_200, plan.Hazards.Count());
        Assert.Equal(1_860, plan.Cases.Count());
        Assert.Equal(3_120, plan.Calls.Count);
        Assert.Equal(220, plan.Courses.Count);
        Assert.Equal(130, plan.VanguardTeams.Count);
        // The platform's own structure does not grow with the number of people.
        Assert.Equal(new CityPlan().Enterprises.Count, plan.Enterprises.Count);
        Assert.Equal(new CityPlan().Organizations.Count, plan.Organizations.Count);
    }

    [Fact]
    public void Ten_times_the_report_has_no_worker_community_station_or_course_twice()
    {
        var plan = new CityPlan(10);

        Assert.Equal(plan.Workers.Count, plan.Workers.Select(w => w.Phone).Distinct().Count());
        // Staff lists show masked phones (13x****nnnn): the loader finds its workers again by them.
        Assert.Equal(plan.Workers.Count, plan.Workers.Select(w => w.Phone[..3] + w.Phone[^4..]).Distinct().Count());
        Assert.Equal(plan.Communities.Count, plan.Communities.Select(c => (c.District.Name, c.Street, c.Name)).Distinct().Count());
        Assert.Equal(plan.Stations.Count, plan.Stations.Select(s => s.Name).Distinct().Count());
        Assert.Equal(plan.Courses.Count, plan.Courses.Select(c => c.Title).Distinct().Count());
        Assert.All(plan.Courses, c => Assert.InRange(c.FirstSessionInDays, 1, 92));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void No_two_planned_hazards_of_one_category_are_within_30_m_so_each_is_a_report_of_its_own(int scale)
    {
        // Within 30 m the volunteers service would take the second as a "me too" of the first, and the city would have
        // fewer reports than planned. Cells of about 100 m: a pair that close is in the same or a neighbouring cell.
        var hazards = new CityPlan(scale).Hazards.ToList();
        var cells = hazards.ToLookup(h => (h.Category, (int)Math.Floor(h.Latitude * 1000), (int)Math.Floor(h.Longitude * 1000)));
        var close = new List<string>();
        foreach (var h in hazards)
        {
            var at = new GeoPoint(h.Latitude, h.Longitude);
            for (var dLat = -1; dLat <= 1; dLat++)
            {
                for (var dLon = -1; dLon <= 1; dLon++)
                {
                    close.AddRange(cells[(h.Category, (int)Math.Floor(h.Latitude * 1000) + dLat, (int)Math.Floor(h.Longitude * 1000) + dLon)]
                        .Where(o => o.Index > h.Index && at.DistanceTo(new GeoPoint(o.Latitude, o.Longitude)) <= 30)
                        .Select(o => $"{h.Index} and {o.Index}"));
                }
            }
        }
        Assert.Empty(close);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void Every_community_has_one_community_staff_who_serves_no_more_than_identity_allows(double scale)
    {
        var plan = new CityPlan(scale);
        var communityStaff = plan.Staff.Where(s => s.Role == "community-staff").ToList();

        Assert.All(communityStaff, s => Assert.InRange(s.Communities!.Length, 1, CityPlan.CommunitiesPerStaff));
        Assert.Equal(plan.Communities.Select(c => c.Index).Order(), communityStaff.SelectMany(s => s.Communities!).Order());
        Assert.All(plan.Communities, c => Assert.Contains(c.Index, communityStaff.Single(s => s.UserName == plan.StaffServing(c.Index)).Communities!));
        Assert.All(communityStaff, s => Assert.All(s.Communities!, c => Assert.Equal(s.District, plan.Communities[c].District)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10.5)]
    public void A_scale_outside_the_planned_range_is_refused(double scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CityPlan(scale));
}
