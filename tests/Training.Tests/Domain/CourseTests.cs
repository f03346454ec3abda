using Platform.Contracts;
using Platform.Training.Domain;

namespace Platform.Training.Tests.Domain;

/// <summary>The rules courses, enrolments, certificates, programmes and venues protect.</summary>
public sealed class CourseTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static Course CourseWith(int sessions, int percent = 80, params (int StartHour, int EndHour)[] times)
    {
        var list = times.Length > 0
            ? times.Select(t => new SessionTimes(Now.AddDays(1).AddHours(t.StartHour), Now.AddDays(1).AddHours(t.EndHour))).ToList()
            : Enumerable.Range(0, sessions).Select(i => new SessionTimes(Now.AddDays(i + 1), Now.AddDays(i + 1).AddHours(2))).ToList();
        var created = Course.Create("Office", CourseKind.OfficeSoftware, ProviderKind.University, "廊坊师范学院", Delivery.Online, null, null, 20, percent, null, list, Now);
        Assert.True(created.IsValid, string.Join("; ", created.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return created.Value!;
    }

    [Theory]
    [InlineData(5, 80, 4)]
    [InlineData(3, 80, 3)]
    [InlineData(10, 80, 8)]
    [InlineData(1, 80, 1)]
    [InlineData(4, 50, 2)]
    [InlineData(7, 100, 7)]
    public void The_completion_rule_takes_the_share_of_sessions_rounded_up(int sessions, int percent, int required)
    {
        var course = CourseWith(sessions, percent);

        Assert.Equal(required, course.SessionsRequired);
        Assert.True(course.IsCompletedBy(required));
        Assert.False(course.IsCompletedBy(required - 1));
    }

    [Fact]
    public void Overlap_means_sharing_time_and_back_to_back_is_not_overlap()
    {
        var evening = CourseWith(0, 80, (19, 21));

        Assert.True(evening.OverlapsAny(CourseWith(0, 80, (20, 22)).Sessions));
        Assert.True(evening.OverlapsAny(CourseWith(0, 80, (18, 23)).Sessions));
        Assert.False(evening.OverlapsAny(CourseWith(0, 80, (21, 23)).Sessions));
        Assert.False(evening.OverlapsAny(CourseWith(0, 80, (8, 9)).Sessions));
    }

    [Fact]
    public void A_course_has_begun_at_its_first_session()
    {
        var course = CourseWith(2);

        Assert.False(course.HasBegun(Now.AddDays(1).AddTicks(-10)));
        Assert.True(course.HasBegun(Now.AddDays(1)));
    }

    [Fact]
    public void A_freed_seat_never_takes_the_count_below_zero()
    {
        var course = CourseWith(1);
        course.FreeSeat();

        Assert.Equal(0, course.SeatsTaken);
        Assert.Equal(20, course.SeatsLeft);
    }

    [Fact]
    public void Only_a_waiting_learner_is_promoted_and_only_a_seated_one_completes()
    {
        var course = CourseWith(1);
        var waiting = Enrolment.Create(course.Id, Guid.NewGuid(), "张三丰", seated: false, Now);
        var notice = waiting.Promote(course, Now);

        Assert.Equal(EnrolmentStatus.Enrolled, waiting.Status);
        Assert.Equal(waiting.WorkerId, notice.WorkerId);
        Assert.Throws<InvalidOperationException>(() => waiting.Promote(course, Now));
        waiting.Complete(Now);
        Assert.False(waiting.CanCancel);
        Assert.Throws<InvalidOperationException>(() => waiting.Cancel(Now));
    }

    [Fact]
    public void A_certificate_carries_no_name_in_its_event_and_its_code_is_read_as_typed()
    {
        var course = CourseWith(1);
        var enrolment = Enrolment.Create(course.Id, Guid.NewGuid(), "张三丰", seated: true, Now);
        var certificate = Certificate.Issue(course, enrolment, Now);

        Assert.Equal(new CourseCompleted(course.Id, enrolment.WorkerId, certificate.Id, "office-software", certificate.IssuedAt), certificate.ToEvent());
        Assert.Equal(certificate.Code, Certificate.Normalize(certificate.DisplayCode.ToLowerInvariant()));
        Assert.Equal(certificate.Code, Certificate.Normalize(certificate.Code[..6] + " " + certificate.Code[6..]));
        Assert.Null(Certificate.Normalize("ABCD-EFGH-IJK1"));
        Assert.Null(Certificate.Normalize("short"));
        Assert.NotEqual(certificate.Code, Certificate.Issue(course, enrolment, Now).Code);
    }

    [Theory]
    [InlineData("2026-01-01", 0, 0, true)]
    [InlineData("2027-01-01", 1000, 1000, true)]
    [InlineData("2027-01-01", 999, 1000, false)]
    [InlineData("2028-01-01", 1999, 1999, true)]
    [InlineData("2030-06-01", 2999, 3000, false)]
    [InlineData("2030-06-01", 3000, 3000, true)]
    public void A_programme_is_on_pace_when_completions_keep_up_with_a_steady_share_of_the_target(string today, long completions, long expected, bool onPace)
    {
        var programme = Programme.Create("红色直播间主播培养", 3000, new DateOnly(2026, 1, 1), new DateOnly(2029, 1, 1), Now).Value!;

        var progress = programme.Progress(completions, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((expected, onPace), (progress.ExpectedByNow, progress.OnPace));
    }

    [Fact]
    public void The_venue_copy_keeps_the_newest_details_and_a_closure_in_any_arrival_order()
    {
        var id = Guid.NewGuid();
        var community = Guid.NewGuid();
        var venue = Venue.Known(id);
        venue.Apply(new StationClosed(id, Now.AddDays(2)));
        venue.Apply(new StationUpdated(id, "新名", community, "广阳区", 39.5, 116.7, [], Now.AddDays(1)));
        venue.Apply(new StationOpened(id, "旧名", community, "广阳区", 39.5, 116.7, [], Now));
        venue.Apply(new StationUpdated(id, "新名", community, "广阳区", 39.5, 116.7, [], Now.AddDays(1)));

        Assert.Equal("新名", venue.Name);
        Assert.False(venue.IsOpen);
    }
}
