using System.Net;
using System.Text.Json;
using Platform.Contracts;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Training.Apis;
using Platform.Training.Domain;

namespace Platform.Training.Tests.Http;

/// <summary>Attendance to completion, the certificate anyone can verify, and CourseCompleted.</summary>
public sealed class CompletionTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    // Courses only take sessions in the future and attendance only for sessions that have started: five half-second
    // sessions a second apart, an hour ahead by the service's clock, which the test then moves past them.
    private static readonly TimeSpan Lead = TimeSpan.FromHours(1);

    [Fact]
    public async Task Attending_80_percent_of_sessions_completes_with_a_certificate_anyone_can_verify_and_CourseCompleted()
    {
        await using var listener = await ExchangeListener.ForAsync<CourseCompleted>(Infrastructure);
        var programme = await CreateProgrammeAsync();
        var t0 = Clock.GetUtcNow() + Lead;
        var sessions = Enumerable.Range(0, 5).Select(i => (t0.AddSeconds(i), t0.AddSeconds(i + 0.5))).ToList();
        var course = await CreateCourseAsync(CourseBody(capacity: 2, sessions: sessions, kind: "live-stream-talent", programmeId: programme.Id));
        Assert.Equal(4, course.SessionsRequired);
        var keenId = Guid.NewGuid();
        var keen = Worker(keenId);
        var busy = Worker(Guid.NewGuid());
        var late = Worker(Guid.NewGuid());
        var a = await EnrolAsync(keen, course.Id, "张三丰");
        var b = await EnrolAsync(busy, course.Id, "李小龙");
        var waiting = await EnrolAsync(late, course.Id, "王五");
        Assert.Equal(EnrolmentStatus.Waitlisted, waiting.Status);
        var s = course.Sessions.Select(x => x.Id).ToList();

        using (var tooEarly = await PutAttendanceAsync(s[0], course.Id, a.Id))
        {
            await ProblemAssert.IsProblemAsync(tooEarly, HttpStatusCode.Conflict);
        }
        // Every session has started (the last one too); none is in the future.
        Clock.Advance(t0.AddSeconds(4.6) - Clock.GetUtcNow());

        using (var notSeated = await PutAttendanceAsync(s[0], course.Id, a.Id, waiting.Id))
        {
            await ProblemAssert.IsProblemAsync(notSeated, HttpStatusCode.BadRequest, "present");
        }
        Assert.Empty((await RecordAsync(s[0], course.Id, a.Id, b.Id)).CompletedEnrolmentIds);
        Assert.Empty((await RecordAsync(s[1], course.Id, a.Id, b.Id)).CompletedEnrolmentIds);
        Assert.Empty((await RecordAsync(s[2], course.Id, a.Id, b.Id)).CompletedEnrolmentIds);
        // 4 of 5 (80%) completes; 3 of 5 does not.
        Assert.Equal([a.Id], (await RecordAsync(s[3], course.Id, a.Id)).CompletedEnrolmentIds);
        Assert.Empty((await RecordAsync(s[4], course.Id, a.Id)).CompletedEnrolmentIds);

        var mine = Assert.Single((await PageAsync<EnrolmentResponse>(keen, "/me/enrolments")).Items);
        Assert.Equal(EnrolmentStatus.Completed, mine.Status);
        Assert.Equal(EnrolmentStatus.Enrolled, Assert.Single((await PageAsync<EnrolmentResponse>(busy, "/me/enrolments")).Items).Status);
        Assert.Empty((await PageAsync<MyCertificate>(busy, "/me/certificates")).Items);
        var certificate = Assert.Single((await PageAsync<MyCertificate>(keen, "/me/certificates")).Items);
        Assert.Equal("张三丰", certificate.HolderName);
        Assert.Matches("^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$", certificate.Code);
        Assert.Contains((await PageAsync<EnrolmentsApi.NoticeResponse>(keen, "/me/notices")).Items, n => n.Kind == NoticeKind.CourseCompleted && n.Text.Contains(certificate.Code));

        // An employer checks it without signing in, typing it in lower case without dashes.
        var anonymous = Anonymous();
        var verified = await GetOkAsync<CertificateVerification>(anonymous, $"/certificates/{certificate.Code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}");
        Assert.Equal(new CertificateVerification(certificate.Code, "张**", "短视频剪辑入门", CourseKind.LiveStreamTalent, "廊坊职业技能培训学校", certificate.IssuedOn), verified);
        using (var unknown = await anonymous.GetAsync(new Uri("/certificates/2222-3333-4444", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var garbage = await anonymous.GetAsync(new Uri("/certificates/not-a-code", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        }

        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("courseId").GetGuid() == course.Id);
        var message = envelope.GetProperty("message");
        Assert.Equal(keenId, message.GetProperty("workerId").GetGuid());
        Assert.Equal(certificate.Id, message.GetProperty("certificateId").GetGuid());
        Assert.Equal("live-stream-talent", message.GetProperty("kind").GetString());
        // Ids only: no name, no code.
        Assert.Equal(["certificateId", "completedAt", "courseId", "kind", "workerId"], message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("张", envelope.GetRawText(), StringComparison.Ordinal);

        // Programmes count completions of their courses; the stats see them too.
        var progress = await GetOkAsync<ProgrammeResponse>(Staff, $"/programmes/{programme.Id}");
        Assert.Equal(1, progress.Progress.Completions);
        var stats = await GetOkAsync<TrainingStats>(Staff, "/stats");
        Assert.Equal(1, stats.Completions);
        Assert.Equal(1, stats.Certificates);
        Assert.Equal(1, stats.CoursesByKind["live-stream-talent"]);
        Assert.Equal(new EnrolmentStats(1, 1, 0, 1), stats.Enrolments);
        Assert.Equal(1, Assert.Single(stats.Programmes).Progress.Completions);
    }

    private async Task<ProgrammeResponse> CreateProgrammeAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var response = await PostAsync(Staff, "/programmes", new { name = "红色直播间主播培养", target = 3000, startsOn = today.AddYears(-1), endsOn = today.AddYears(2) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<ProgrammeResponse>(response);
    }

    private Task<HttpResponseMessage> PutAttendanceAsync(Guid sessionId, Guid courseId, params Guid[] present) =>
        SendRawAsync(Staff, HttpMethod.Put, $"/courses/{courseId}/sessions/{sessionId}/attendance", JsonSerializer.Serialize(new { present }, JsonSerializerOptions.Web));

    private async Task<AttendanceResponse> RecordAsync(Guid sessionId, Guid courseId, params Guid[] present)
    {
        using var response = await PutAttendanceAsync(sessionId, courseId, present);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadAsync<AttendanceResponse>(response);
    }
}
