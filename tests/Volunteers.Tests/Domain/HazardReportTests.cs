using Platform.ServiceDefaults.Geography;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class HazardReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Langfang = new(39.5186, 116.6946);
    private static readonly HazardActor Housing = HazardActor.ForDepartment("housing");

    private static HazardReport NewReport(Guid? community = null) =>
        HazardReport.Intake(HazardCategory.BrokenManholeCover, Langfang, null, new RoutedTo("广阳区", community, "housing"), Now);

    [Fact]
    public void A_report_goes_open_acknowledged_in_progress_closed_and_keeps_each_change()
    {
        var report = NewReport();

        Assert.Null(report.ChangeStatus(HazardStatus.Acknowledged, null, Housing, Now.AddMinutes(5)).Refusal);
        Assert.Null(report.ChangeStatus(HazardStatus.InProgress, null, Housing, Now.AddMinutes(30)).Refusal);
        var closed = report.ChangeStatus(HazardStatus.Closed, "井盖已更换", Housing, Now.AddHours(2));

        Assert.Null(closed.Refusal);
        Assert.Equal(("closed", "housing", "broken-manhole-cover"), (closed.Value!.Status, closed.Value.ResponsibleAgency, closed.Value.Category));
        Assert.Equal((HazardStatus.Closed, "井盖已更换", Now.AddHours(2)), (report.Status, report.StatusNotes, report.ClosedAt));
        Assert.Equal([HazardStatus.Acknowledged, HazardStatus.InProgress, HazardStatus.Closed], report.Changes.Select(c => c.To));
        Assert.Equal([HazardStatus.Open, HazardStatus.Acknowledged, HazardStatus.InProgress], report.Changes.Select(c => c.From));
    }

    [Theory]
    [InlineData(HazardStatus.InProgress)]
    [InlineData(HazardStatus.Closed)]
    [InlineData(HazardStatus.Open)]
    public void Steps_are_not_skipped(HazardStatus next)
    {
        var report = NewReport();

        var result = report.ChangeStatus(next, "notes", Housing, Now);

        Assert.Equal(RefusalKind.Conflict, result.Refusal?.Kind);
        Assert.Equal(HazardStatus.Open, report.Status);
        Assert.Empty(report.Changes);
    }

    [Fact]
    public void Closing_needs_notes_and_rejecting_a_reason()
    {
        var report = NewReport();
        report.ChangeStatus(HazardStatus.Acknowledged, null, Housing, Now);
        report.ChangeStatus(HazardStatus.InProgress, null, Housing, Now);

        Assert.Contains("notes", report.ChangeStatus(HazardStatus.Closed, "  ", Housing, Now).Refusal!.Errors!.Keys);
        Assert.Contains("notes", report.ChangeStatus(HazardStatus.Rejected, null, Housing, Now).Refusal!.Errors!.Keys);
        Assert.Contains("notes", report.ChangeStatus(HazardStatus.Closed, new string('x', 1001), Housing, Now).Refusal!.Errors!.Keys);
        Assert.Contains("status", report.ChangeStatus(null, "x", Housing, Now).Refusal!.Errors!.Keys);
        Assert.Equal(HazardStatus.InProgress, report.Status);
    }

    [Fact]
    public void A_rejected_or_closed_report_does_not_change_again()
    {
        var report = NewReport();
        Assert.Null(report.ChangeStatus(HazardStatus.Rejected, "重复上报", Housing, Now).Refusal);

        Assert.Equal(RefusalKind.Conflict, report.ChangeStatus(HazardStatus.Acknowledged, null, Housing, Now).Refusal?.Kind);
        Assert.Equal("closed", report.Status.Open311());
    }

    [Fact]
    public void Only_the_routed_department_staff_of_its_community_or_an_operator_handle_it()
    {
        var community = Guid.NewGuid();
        var report = NewReport(community);

        Assert.True(report.MayBeHandledBy(Housing));
        Assert.False(report.MayBeHandledBy(HazardActor.ForDepartment("power-supply")));
        Assert.True(report.MayBeHandledBy(HazardActor.Staff(new HashSet<Guid> { community })));
        Assert.False(report.MayBeHandledBy(HazardActor.Staff(new HashSet<Guid> { Guid.NewGuid() })));
        Assert.True(report.MayBeHandledBy(HazardActor.Operator));
        Assert.False(NewReport(null).MayBeHandledBy(HazardActor.Staff(new HashSet<Guid> { community })));
    }

    [Fact]
    public void The_same_hazard_is_the_same_category_within_30_m_of_an_open_report()
    {
        var report = NewReport();
        var metresNorth = (double m) => new GeoPoint(Langfang.Latitude + m / 111_195.0, Langfang.Longitude);

        Assert.True(report.IsSameHazard(HazardCategory.BrokenManholeCover, metresNorth(29)));
        Assert.False(report.IsSameHazard(HazardCategory.BrokenManholeCover, metresNorth(31)));
        Assert.False(report.IsSameHazard(HazardCategory.HangingCable, Langfang));
        report.ChangeStatus(HazardStatus.Rejected, "误报", Housing, Now);
        Assert.False(report.IsSameHazard(HazardCategory.BrokenManholeCover, Langfang));
    }

    [Fact]
    public void The_intake_event_names_no_reporter()
    {
        var e = NewReport().ToEvent();

        Assert.Equal(("broken-manhole-cover", "open", "housing", "广阳区"), (e.Category, e.Status, e.ResponsibleAgency, e.District));
    }

    [Fact]
    public void Intake_checks_category_coordinates_and_description()
    {
        var errors = HazardReport.ValidateIntake(null, 90.5, -180.5, new string('x', 1001), out _, out _, out _);

        Assert.Equal(["category", "description", "latitude", "longitude"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.False(HazardReport.ValidateIntake(HazardCategory.Other, -90, 180, null, out _, out _, out _).Any);
    }
}

public sealed class HazardRoutingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Here = new(39.5186, 116.6946);

    private static readonly (Guid, string, GeoPoint)[] Communities =
    [
        (Guid.Parse("00000000-0000-0000-0000-000000000001"), "广阳区", new GeoPoint(39.5190, 116.6950)),
        (Guid.Parse("00000000-0000-0000-0000-000000000002"), "安次区", new GeoPoint(39.5020, 116.6940)),
    ];

    /// <summary>Routes as the intake does: with the stored rules of the report's category.</summary>
    private static RoutedTo Route(HazardCategory category, GeoPoint position, HazardRoute[] stored) =>
        HazardRouting.Route(category, position, stored.Where(r => r.Category == category).Select(r => (r.District, r.Department)), Communities);

    [Fact]
    public void A_district_s_rule_beats_the_city_wide_rule_which_beats_the_category_default()
    {
        HazardRoute[] rules =
        [
            HazardRoute.CityWide(HazardCategory.OpenGarbage, "urban-management", Now),
            HazardRoute.Define(HazardCategory.OpenGarbage, "广阳区", "sanitation", Now).Value!,
            HazardRoute.Define(HazardCategory.OpenGarbage, "安次区", "anci-sanitation", Now).Value!,
        ];

        Assert.Equal(new RoutedTo("广阳区", Communities[0].Item1, "sanitation"), Route(HazardCategory.OpenGarbage, Here, rules));
        Assert.Equal("anci-sanitation", Route(HazardCategory.OpenGarbage, new GeoPoint(39.5021, 116.6941), rules).Department);
        Assert.Equal("urban-management", Route(HazardCategory.OpenGarbage, Here, rules[..1]).Department);
        Assert.Equal("power-supply", Route(HazardCategory.HangingCable, Here, rules).Department);
        Assert.Equal("market-regulation", HazardRouting.Route(HazardCategory.ElevatorFailure, Here, [], Communities).Department);
    }

    [Fact]
    public void A_report_far_from_every_community_has_an_unknown_district_and_the_city_wide_department()
    {
        var routed = HazardRouting.Route(HazardCategory.Clutter, new GeoPoint(40.0, 116.6946), [], Communities);

        Assert.Equal(new RoutedTo(HazardRouting.UnknownDistrict, null, "urban-management"), routed);
    }

    [Theory]
    [InlineData("Urban Management")]
    [InlineData("urban_management")]
    [InlineData("-urban")]
    [InlineData("")]
    public void Department_codes_are_kebab_case(string department)
    {
        Assert.False(HazardRoute.Define(HazardCategory.Clutter, null, department, Now).IsValid);
    }

    [Fact]
    public void A_blank_district_defines_the_city_wide_rule()
    {
        Assert.Equal(HazardRouting.AnyDistrict, HazardRoute.Define(HazardCategory.Clutter, "  ", "urban-management", Now).Value!.District);
    }
}

public sealed class DuplicateCheckGeometryTests
{
    [Fact]
    public void Distances_are_great_circle_metres()
    {
        var a = new GeoPoint(39.5186, 116.6946);

        Assert.InRange(a.DistanceTo(new GeoPoint(39.5186 + 30 / 111_195.0, 116.6946)), 29.9, 30.1);
        Assert.InRange(a.DistanceTo(new GeoPoint(39.5186, 116.6946 + 0.001)), 85, 86.5);
    }

    [Fact]
    public void The_search_box_contains_every_point_within_the_radius()
    {
        var centre = new GeoPoint(39.5186, 116.6946);
        var box = centre.BoxAround(30);

        for (var bearing = 0; bearing < 360; bearing += 15)
        {
            var rad = bearing * Math.PI / 180;
            var p = new GeoPoint(centre.Latitude + 29.9 * Math.Cos(rad) / 111_195.0, centre.Longitude + 29.9 * Math.Sin(rad) / (111_195.0 * Math.Cos(centre.Latitude * Math.PI / 180)));
            Assert.True(centre.DistanceTo(p) <= 30);
            Assert.InRange(p.Latitude, box.MinLatitude, box.MaxLatitude);
            Assert.InRange(p.Longitude, box.MinLongitude, box.MaxLongitude);
        }
    }

    [Fact]
    public void Two_reports_within_30_m_always_share_a_lock_and_far_apart_ones_do_not()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var a = new GeoPoint(39.5 + random.NextDouble() * 0.1, 116.6 + random.NextDouble() * 0.1);
            var rad = random.NextDouble() * 2 * Math.PI;
            var metres = random.NextDouble() * 30;
            var b = new GeoPoint(a.Latitude + metres * Math.Cos(rad) / 111_195.0, a.Longitude + metres * Math.Sin(rad) / (111_195.0 * Math.Cos(a.Latitude * Math.PI / 180)));
            if (a.DistanceTo(b) > 30)
            {
                continue;
            }
            Assert.NotEmpty(DuplicateLocks.For(HazardCategory.Clutter, a).Intersect(DuplicateLocks.For(HazardCategory.Clutter, b)));
        }
        var here = new GeoPoint(39.5, 116.6);
        Assert.Empty(DuplicateLocks.For(HazardCategory.Clutter, here).Intersect(DuplicateLocks.For(HazardCategory.Clutter, new GeoPoint(39.51, 116.6))));
        Assert.Empty(DuplicateLocks.For(HazardCategory.Clutter, here).Intersect(DuplicateLocks.For(HazardCategory.OpenGarbage, here)));
        Assert.Equal(DuplicateLocks.For(HazardCategory.Clutter, here).Order(), DuplicateLocks.For(HazardCategory.Clutter, here));
    }
}

public sealed class PhotoContentTests
{
    [Fact]
    public void JPEG_and_PNG_are_recognised_by_their_signature()
    {
        Assert.Equal("image/jpeg", PhotoContent.Recognise([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).Photo?.ContentType);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8, 0, 0, 0, 1];
        Assert.Equal("image/png", PhotoContent.Recognise(png).Photo?.ContentType);
    }

    [Fact]
    public void Anything_else_empty_or_over_5_MB_is_refused()
    {
        Assert.Null(PhotoContent.Recognise("<html>not a photo</html>"u8.ToArray()).Photo);
        Assert.Null(PhotoContent.Recognise("GIF89a......"u8.ToArray()).Photo);
        Assert.Null(PhotoContent.Recognise([]).Photo);
        var big = new byte[PhotoContent.MaxBytes + 1];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;
        Assert.Contains("5 MB", PhotoContent.Recognise(big).Error, StringComparison.Ordinal);
    }
}
