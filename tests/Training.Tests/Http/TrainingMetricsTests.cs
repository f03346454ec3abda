using System.Net;
using System.Text.Json;
using Platform.TestSupport;
using Platform.Training.Apis;
using Platform.Training.Domain;

namespace Platform.Training.Tests.Http;

/// <summary>The dashboard's training figures: enrolments by seat outcome, completions by course kind, and no learner in them.</summary>
public sealed class TrainingMetricsTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    [Fact]
    public async Task Enrolling_counts_seated_and_waitlisted_places_and_attendance_that_completes_counts_completions()
    {
        using var enrolments = Service.Services.Collect<long>(TrainingTelemetry.Name, "platform.training.enrolments");
        using var completions = Service.Services.Collect<long>(TrainingTelemetry.Name, "platform.training.completions");
        // One session an hour ahead by the service's clock (attendance is recorded only once a session has started).
        var start = Clock.GetUtcNow().AddHours(1);
        var course = await CreateCourseAsync(CourseBody(capacity: 1, sessions: [(start, start.AddSeconds(1))], kind: "office-software"));
        var seated = await EnrolAsync(Worker(Guid.NewGuid()), course.Id, "张三丰");
        var waiting = await EnrolAsync(Worker(Guid.NewGuid()), course.Id, "李小龙");
        Assert.Equal((EnrolmentStatus.Enrolled, EnrolmentStatus.Waitlisted), (seated.Status, waiting.Status));

        var enrolled = await enrolments.WaitForAsync(2);
        Assert.Equal(["enrolled", "waitlisted"], enrolled.Select(m => (string)m.Tags["status"]!).Order());
        Assert.All(enrolled, m => Assert.Equal(1, m.Value));
        Assert.Empty(completions.GetMeasurementSnapshot());

        Clock.Advance(start.AddSeconds(0.2) - Clock.GetUtcNow());
        using var attendance = await SendRawAsync(Staff, HttpMethod.Put, $"/courses/{course.Id}/sessions/{course.Sessions[0].Id}/attendance",
            JsonSerializer.Serialize(new { present = new[] { seated.Id } }, JsonSerializerOptions.Web));
        Assert.True(attendance.StatusCode == HttpStatusCode.OK, await attendance.Content.ReadAsStringAsync());
        Assert.Equal([seated.Id], (await ReadAsync<AttendanceResponse>(attendance)).CompletedEnrolmentIds);

        var completed = Assert.Single(await completions.WaitForAsync());
        Assert.Equal((1L, "office-software"), (completed.Value, completed.Tags["kind"]));
        Assert.Equal(["kind"], completed.Tags.Keys);
    }
}
