using System.Net;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Training.Tests.Http;

/// <summary>Bad input is answered with RFC 9457 problem details naming the field, never with a 500.</summary>
public sealed class BadInputTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    [Fact]
    public async Task An_empty_course_lists_every_missing_field()
    {
        using var response = await SendRawAsync(Staff, HttpMethod.Post, "/courses", "{}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["capacity", "delivery", "kind", "provider", "providerName", "sessions", "title"], ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("kind", "\"cooking\"")]
    [InlineData("capacity", "0")]
    [InlineData("capacity", "\"ten\"")]
    [InlineData("completionPercent", "101")]
    [InlineData("seatsTaken", "0")]
    public async Task A_bad_course_field_is_a_400_naming_it(string field, string json)
    {
        var body = CourseBody();
        body[field] = System.Text.Json.JsonDocument.Parse(json).RootElement;

        using var response = await PostAsync(Staff, "/courses", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Sessions_that_end_before_they_start_overlap_or_lie_in_the_past_are_named_one_by_one()
    {
        var start = DateTimeOffset.UtcNow.AddDays(3);
        var body = CourseBody(sessions: [(start, start.AddHours(-1)), (start.AddDays(1), start.AddDays(1).AddHours(2)), (start.AddDays(1).AddHours(1), start.AddDays(1).AddHours(3)), (start.AddDays(-5), start.AddDays(-5).AddHours(1))]);

        using var response = await PostAsync(Staff, "/courses", body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "sessions[0].endsAt", "sessions[2]", "sessions[3].startsAt");
        Assert.Equal(["sessions[0].endsAt", "sessions[2]", "sessions[3].startsAt"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_station_course_without_a_station_and_an_address_course_without_an_address_are_refused()
    {
        var station = CourseBody();
        station["delivery"] = "station";
        using (var response = await PostAsync(Staff, "/courses", station))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "stationId");
        }
        var address = CourseBody();
        address["delivery"] = "address";
        using (var response = await PostAsync(Staff, "/courses", address))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "address");
        }
        var unknownProgramme = CourseBody(programmeId: Guid.NewGuid());
        using (var response = await PostAsync(Staff, "/courses", unknownProgramme))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "programmeId");
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"nameOnCertificate\":\"  \"}")]
    [InlineData("{\"nameOnCertificate\":\"张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰\"}")]
    public async Task An_enrolment_without_a_usable_name_is_a_400_naming_nameOnCertificate(string body)
    {
        var course = await CreateCourseAsync(CourseBody());

        using var response = await SendRawAsync(Worker(Guid.NewGuid()), HttpMethod.Post, $"/courses/{course.Id}/enrolments", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "nameOnCertificate");
        Assert.Equal(10, (await GetOkAsync<Platform.Training.Apis.CourseResponse>(Staff, $"/courses/{course.Id}")).SeatsLeft);
    }

    [Theory]
    [InlineData("/courses?kind=cooking", "kind")]
    [InlineData("/courses?delivery=drone", "delivery")]
    [InlineData("/courses?pageSize=500", "pageSize")]
    [InlineData("/courses?page=0", "page")]
    [InlineData("/articles?category=gossip", "category")]
    [InlineData("/study-activities?kind=party", "kind")]
    [InlineData("/venues?pageSize=0", "pageSize")]
    public async Task Bad_list_filters_are_a_400_naming_them(string path, string field)
    {
        using var response = await Staff.GetAsync(new Uri(path, UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_programme_ending_before_it_starts_is_a_400_naming_endsOn()
    {
        using var response = await PostAsync(Staff, "/programmes", new { name = "主播培养", target = 3000, startsOn = new DateOnly(2026, 1, 1), endsOn = new DateOnly(2025, 1, 1) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "endsOn");
    }

    [Fact]
    public async Task Attendance_without_a_present_list_is_a_400_naming_present()
    {
        var course = await CreateCourseAsync(CourseBody());

        using var response = await SendRawAsync(Staff, HttpMethod.Put, $"/courses/{course.Id}/sessions/{course.Sessions[0].Id}/attendance", "{}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "present");
    }

    [Fact]
    public async Task A_retried_course_creation_with_the_same_idempotency_key_creates_once()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(CourseBody(), System.Text.Json.JsonSerializerOptions.Web);
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/courses", UriKind.Relative))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(Idempotency.HeaderName, "course-retry-1");
            using var response = await Staff.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM courses"));
        using var anonymous = await Anonymous().GetAsync(new Uri("/courses", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var byWorker = await PostAsync(ClientAs(PlatformRoles.Worker), "/courses", CourseBody());
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);
    }
}
