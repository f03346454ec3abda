using System.Net;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Training.Apis;
using Platform.Training.Domain;

namespace Platform.Training.Tests.Http;

/// <summary>Seats, the waitlist, promotion on cancellation, and the overlap rule.</summary>
public sealed class EnrolmentTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    [Fact]
    public async Task Workers_whose_phones_send_each_enrolment_twice_at_once_get_one_enrolment_each_and_the_seats_stay_exact()
    {
        var course = await CreateCourseAsync(CourseBody(capacity: 3));
        await EnrolAsync(Worker(Guid.NewGuid()), course.Id);
        await EnrolAsync(Worker(Guid.NewGuid()), course.Id);

        // Each of 12 workers sends its enrolment twice with one Idempotency-Key, all at the same moment: the seat
        // transaction (its own, with deadlock retries) runs inside the request's transaction that stores the answer.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 12).Select(_ => (Client: Worker(Guid.NewGuid()), Key: Guid.NewGuid().ToString()))
            .SelectMany(w => Enumerable.Range(0, 2).Select(async _ =>
            {
                await start.Task;
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/courses/{course.Id}/enrolments")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { nameOnCertificate = "李四" }),
                };
                request.Headers.Add(Platform.ServiceDefaults.Http.Idempotency.HeaderName, w.Key);
                using var response = await w.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                return (w.Key, Enrolment: await ReadAsync<EnrolmentResponse>(response));
            })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(90));

        var perWorker = results.GroupBy(r => r.Key).Select(g => g.Select(r => r.Enrolment).Distinct().ToList()).ToList();
        Assert.All(perWorker, answers => Assert.Single(answers));
        var enrolments = perWorker.Select(a => a[0]).ToList();
        Assert.Single(enrolments, e => e.Status == EnrolmentStatus.Enrolled);
        Assert.Equal(Enumerable.Range(1, 11), enrolments.Where(e => e.WaitlistPosition is not null).Select(e => e.WaitlistPosition!.Value).Order());
        Assert.Equal(14L, await Service.ScalarAsync<long>("SELECT count(*) FROM enrolments"));
        Assert.Equal(3, await Service.ScalarAsync<int>("SELECT \"SeatsTaken\" FROM courses"));
    }

    [Fact]
    public async Task The_last_seat_taken_by_many_at_once_goes_to_exactly_one()
    {
        var course = await CreateCourseAsync(CourseBody(capacity: 3));
        await EnrolAsync(Worker(Guid.NewGuid()), course.Id);
        await EnrolAsync(Worker(Guid.NewGuid()), course.Id);

        // 24 workers ask for the one seat left at the same moment, each on its own connection.
        var workers = Enumerable.Range(0, 24).Select(_ => Worker(Guid.NewGuid())).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = workers.Select(async w =>
        {
            await start.Task;
            return await EnrolAsync(w, course.Id, "李四");
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Single(results, r => r.Status == EnrolmentStatus.Enrolled);
        Assert.Equal(23, results.Count(r => r.Status == EnrolmentStatus.Waitlisted));
        // The waitlist is numbered 1..23 without gaps or repeats.
        Assert.Equal(Enumerable.Range(1, 23), results.Where(r => r.WaitlistPosition is not null).Select(r => r.WaitlistPosition!.Value).Order());
        var after = await GetOkAsync<CourseResponse>(Staff, $"/courses/{course.Id}");
        Assert.Equal(0, after.SeatsLeft);
        Assert.Equal(3L, await Service.ScalarAsync<long>("SELECT count(*) FROM enrolments WHERE \"Status\" = 'Enrolled'"));
        Assert.Equal(3, await Service.ScalarAsync<int>("SELECT \"SeatsTaken\" FROM courses"));
    }

    [Fact]
    public async Task A_full_course_puts_the_worker_on_the_waitlist_and_a_cancellation_promotes_the_first_waiting_and_tells_them()
    {
        var course = await CreateCourseAsync(CourseBody(capacity: 1));
        var seated = Worker(Guid.NewGuid());
        var first = Worker(Guid.NewGuid());
        var second = Worker(Guid.NewGuid());
        var seat = await EnrolAsync(seated, course.Id);
        var firstWaiting = await EnrolAsync(first, course.Id);
        var secondWaiting = await EnrolAsync(second, course.Id);
        Assert.Equal(EnrolmentStatus.Enrolled, seat.Status);
        Assert.Equal((EnrolmentStatus.Waitlisted, 1), (firstWaiting.Status, firstWaiting.WaitlistPosition!.Value));
        Assert.Equal((EnrolmentStatus.Waitlisted, 2), (secondWaiting.Status, secondWaiting.WaitlistPosition!.Value));

        using (var cancelled = await seated.DeleteAsync(new Uri($"/me/enrolments/{seat.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        var mine = await PageAsync<EnrolmentResponse>(first, "/me/enrolments");
        var promoted = Assert.Single(mine.Items);
        Assert.Equal(EnrolmentStatus.Enrolled, promoted.Status);
        Assert.NotNull(promoted.PromotedAt);
        var notice = Assert.Single((await PageAsync<EnrolmentsApi.NoticeResponse>(first, "/me/notices")).Items);
        Assert.Equal(NoticeKind.SeatFreed, notice.Kind);
        Assert.Equal(course.Id, notice.CourseId);
        Assert.Contains("短视频剪辑入门", notice.Text);
        // The second in line moves up and is not told anything yet.
        var stillWaiting = Assert.Single((await PageAsync<EnrolmentResponse>(second, "/me/enrolments")).Items);
        Assert.Equal((EnrolmentStatus.Waitlisted, 1), (stillWaiting.Status, stillWaiting.WaitlistPosition!.Value));
        Assert.Empty((await PageAsync<EnrolmentsApi.NoticeResponse>(second, "/me/notices")).Items);
        Assert.Equal(0, (await GetOkAsync<CourseResponse>(Staff, $"/courses/{course.Id}")).SeatsLeft);
    }

    [Fact]
    public async Task A_cancellation_with_nobody_waiting_frees_the_seat()
    {
        var course = await CreateCourseAsync(CourseBody(capacity: 1));
        var worker = Worker(Guid.NewGuid());
        var seat = await EnrolAsync(worker, course.Id);
        Assert.Equal(0, (await GetOkAsync<CourseResponse>(Staff, $"/courses/{course.Id}")).SeatsLeft);

        using (var cancelled = await worker.DeleteAsync(new Uri($"/me/enrolments/{seat.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        Assert.Equal(1, (await GetOkAsync<CourseResponse>(Staff, $"/courses/{course.Id}")).SeatsLeft);
        // Cancelling twice is refused; enrolling again is allowed.
        using (var again = await worker.DeleteAsync(new Uri($"/me/enrolments/{seat.Id}", UriKind.Relative)))
        {
            await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        }
        Assert.Equal(EnrolmentStatus.Enrolled, (await EnrolAsync(worker, course.Id)).Status);
    }

    [Fact]
    public async Task A_worker_cannot_hold_seats_in_two_courses_with_overlapping_sessions()
    {
        var evening = new DateTimeOffset(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10), new TimeOnly(0, 0), TimeSpan.FromHours(8)).AddHours(19);
        var a = await CreateCourseAsync(CourseBody(sessions: [(evening, evening.AddHours(2))]));
        var overlapping = await CreateCourseAsync(CourseBody(kind: "office-software", sessions: [(evening.AddHours(1), evening.AddHours(3))]));
        var later = await CreateCourseAsync(CourseBody(kind: "live-stream-marketing", sessions: [(evening.AddHours(2), evening.AddHours(4))]));
        var worker = Worker(Guid.NewGuid());
        await EnrolAsync(worker, a.Id);

        using var refused = await PostAsync(worker, $"/courses/{overlapping.Id}/enrolments", new { nameOnCertificate = "王五" });

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("overlaps", problem.GetProperty("title").GetString());
        // Back to back is not overlapping; and another worker may take the overlapping course.
        Assert.Equal(EnrolmentStatus.Enrolled, (await EnrolAsync(worker, later.Id)).Status);
        Assert.Equal(EnrolmentStatus.Enrolled, (await EnrolAsync(Worker(Guid.NewGuid()), overlapping.Id)).Status);
        Assert.Equal(2, (await PageAsync<EnrolmentResponse>(worker, "/me/enrolments")).Items.Count);
    }

    [Fact]
    public async Task A_worker_enrolling_in_two_overlapping_courses_at_once_gets_only_one()
    {
        var evening = new DateTimeOffset(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(11), new TimeOnly(0, 0), TimeSpan.FromHours(8)).AddHours(19);
        for (var round = 0; round < 5; round++)
        {
            var at = evening.AddDays(round);
            var a = await CreateCourseAsync(CourseBody(sessions: [(at, at.AddHours(2))]));
            var b = await CreateCourseAsync(CourseBody(kind: "office-software", sessions: [(at.AddHours(1), at.AddHours(3))]));
            var workerId = Guid.NewGuid();
            var first = Worker(workerId);
            var second = Worker(workerId);

            var responses = await Task.WhenAll(
                PostAsync(first, $"/courses/{a.Id}/enrolments", new { nameOnCertificate = "赵六" }),
                PostAsync(second, $"/courses/{b.Id}/enrolments", new { nameOnCertificate = "赵六" }));
            try
            {
                Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task A_promotion_skips_a_waiting_learner_who_now_holds_an_overlapping_seat()
    {
        var evening = new DateTimeOffset(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(12), new TimeOnly(0, 0), TimeSpan.FromHours(8)).AddHours(19);
        var full = await CreateCourseAsync(CourseBody(capacity: 1, sessions: [(evening, evening.AddHours(2))]));
        var other = await CreateCourseAsync(CourseBody(kind: "office-software", sessions: [(evening, evening.AddHours(1))]));
        var holder = Worker(Guid.NewGuid());
        var busy = Worker(Guid.NewGuid());
        var free = Worker(Guid.NewGuid());
        var seat = await EnrolAsync(holder, full.Id);
        await EnrolAsync(busy, full.Id);
        await EnrolAsync(free, full.Id);
        // The first in line took a seat elsewhere at the same time meanwhile.
        await EnrolAsync(busy, other.Id);

        using (var cancelled = await holder.DeleteAsync(new Uri($"/me/enrolments/{seat.Id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        Assert.Equal(EnrolmentStatus.Enrolled, Assert.Single((await PageAsync<EnrolmentResponse>(free, "/me/enrolments")).Items).Status);
        Assert.Contains((await PageAsync<EnrolmentResponse>(busy, "/me/enrolments")).Items, e => e.CourseId == full.Id && e.Status == EnrolmentStatus.Waitlisted);
    }

    [Fact]
    public async Task Enrolling_twice_in_one_course_is_a_409()
    {
        var course = await CreateCourseAsync(CourseBody());
        var worker = Worker(Guid.NewGuid());
        await EnrolAsync(worker, course.Id);

        using var again = await PostAsync(worker, $"/courses/{course.Id}/enrolments", new { nameOnCertificate = "张三丰" });

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_worker_cannot_see_or_cancel_another_worker_s_enrolment()
    {
        var course = await CreateCourseAsync(CourseBody());
        var owner = Worker(Guid.NewGuid());
        var seat = await EnrolAsync(owner, course.Id);
        var stranger = Worker(Guid.NewGuid());

        using var response = await stranger.DeleteAsync(new Uri($"/me/enrolments/{seat.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty((await PageAsync<EnrolmentResponse>(stranger, "/me/enrolments")).Items);
        Assert.Equal(EnrolmentStatus.Enrolled, Assert.Single((await PageAsync<EnrolmentResponse>(owner, "/me/enrolments")).Items).Status);
    }

    [Fact]
    public async Task Only_workers_enrol_and_staff_see_learners_with_masked_names_only()
    {
        var course = await CreateCourseAsync(CourseBody());
        using (var officer = await PostAsync(Staff, $"/courses/{course.Id}/enrolments", new { nameOnCertificate = "张三丰" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        }
        var worker = Worker(Guid.NewGuid());
        var mine = await EnrolAsync(worker, course.Id, "张三丰");
        Assert.Equal("张三丰", mine.NameOnCertificate);

        var learners = await PageAsync<LearnerResponse>(Staff, $"/courses/{course.Id}/learners");

        Assert.Equal("张**", Assert.Single(learners.Items).MaskedName);
        // Stored encrypted, never in the clear.
        var stored = await Service.ScalarAsync<string>("SELECT \"NameOnCertificate\" FROM enrolments");
        Assert.StartsWith("v1:", stored);
        Assert.DoesNotContain("张三丰", stored);
        using var byWorker = await worker.GetAsync(new Uri($"/courses/{course.Id}/learners", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
    }

    [Fact]
    public async Task Enrolling_in_an_unknown_course_is_a_404()
    {
        using var response = await PostAsync(Worker(Guid.NewGuid()), $"/courses/{Guid.NewGuid()}/enrolments", new { nameOnCertificate = "张三丰" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Courses_are_found_by_kind_and_show_seats_left()
    {
        var video = await CreateCourseAsync(CourseBody(capacity: 2));
        await CreateCourseAsync(CourseBody(kind: "office-software"));
        await EnrolAsync(Worker(Guid.NewGuid()), video.Id);

        var page = await PageAsync<CourseSummary>(ClientAs(PlatformRoles.Worker), "/courses?kind=short-video-editing");

        var found = Assert.Single(page.Items);
        Assert.Equal((video.Id, 1, 2), (found.Id, found.SeatsLeft, found.SessionCount));
        Assert.Equal(TimeSpan.FromHours(8), found.FirstSessionAt.Offset);
    }
}
