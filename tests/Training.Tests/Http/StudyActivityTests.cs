using System.Net;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Training.Apis;
using Platform.Training.Domain;

namespace Platform.Training.Tests.Http;

/// <summary>Study activities on the fixed dates, the year's calendar, StudyActivityHeld; articles and their read counts.</summary>
public sealed class StudyActivityTests(LocalInfrastructure infrastructure) : TrainingApiTest(infrastructure)
{
    [Fact]
    public async Task The_calendar_gives_the_four_fixed_dates_with_the_eve_of_the_lunar_new_year()
    {
        var calendar = await GetOkAsync<StudyCalendarResponse>(ClientAs(PlatformRoles.Worker), "/calendar/2026");

        Assert.Equal(new DateOnly(2026, 2, 17), calendar.SpringFestival);
        Assert.Equal(
            [(FixedStudyOccasion.BeforeSpringFestival, new DateOnly(2026, 2, 16)), (FixedStudyOccasion.LabourDay, new DateOnly(2026, 5, 1)),
             (FixedStudyOccasion.PartyFoundingDay, new DateOnly(2026, 7, 1)), (FixedStudyOccasion.NationalDay, new DateOnly(2026, 10, 1))],
            calendar.FixedDates.Select(d => (d.Occasion, d.Date)));
        Assert.Null(calendar.DoubleStudySessions);
    }

    [Theory]
    [InlineData("1900")]
    [InlineData("2101")]
    public async Task A_year_outside_the_lunisolar_calendar_is_a_400_naming_year(string year)
    {
        using var response = await Staff.GetAsync(new Uri($"/calendar/{year}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "year");
    }

    [Fact]
    public async Task A_themed_day_held_on_a_fixed_date_is_recorded_published_and_shown_on_the_organization_s_calendar()
    {
        await using var listener = await ExchangeListener.ForAsync<StudyActivityHeld>(Infrastructure);
        var organizationId = Guid.NewGuid();

        using var response = await PostAsync(Staff, "/study-activities",
            new { organizationId, kind = "themed-day", theme = "七一主题党日", heldOn = new DateOnly(2025, 7, 1), attendance = 36 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var activity = await ReadAsync<StudyActivityResponse>(response);
        Assert.Equal(FixedStudyOccasion.PartyFoundingDay, activity.Occasion);
        await RecordAsync(organizationId, "double-study", new DateOnly(2025, 3, 12), 12);
        await RecordAsync(organizationId, "double-study", new DateOnly(2025, 3, 13), 9);
        await RecordAsync(Guid.NewGuid(), "double-study", new DateOnly(2025, 3, 13), 9);

        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("activityId").GetGuid() == activity.Id);
        var message = envelope.GetProperty("message");
        Assert.Equal(organizationId, message.GetProperty("organizationId").GetGuid());
        Assert.Equal("themed-day", message.GetProperty("kind").GetString());
        Assert.Equal(36, message.GetProperty("attendance").GetInt32());
        Assert.Equal("2025-07-01", message.GetProperty("heldOn").GetString());

        var calendar = await GetOkAsync<StudyCalendarResponse>(Staff, $"/calendar/2025?organizationId={organizationId}");
        Assert.Equal(new DateOnly(2025, 1, 28), calendar.FixedDates[0].Date);
        Assert.Equal(activity.Id, Assert.Single(calendar.FixedDates.Single(d => d.Occasion == FixedStudyOccasion.PartyFoundingDay).Activities).Id);
        Assert.Equal(2, calendar.DoubleStudySessions);
        var listed = await PageAsync<StudyActivityResponse>(Staff, $"/study-activities?organizationId={organizationId}&year=2025&kind=double-study");
        Assert.Equal(2, listed.Total);
        var stats = await GetOkAsync<TrainingStats>(Staff, "/stats");
        Assert.Equal((4, 66), (stats.StudyActivities.Count, stats.StudyActivities.Attendance));
        Assert.Equal(3, stats.StudyActivities.ByKind["double-study"]);
    }

    [Fact]
    public async Task A_themed_day_off_the_fixed_dates_or_in_the_future_is_a_400_naming_heldOn()
    {
        using var offDate = await PostAsync(Staff, "/study-activities",
            new { organizationId = Guid.NewGuid(), kind = "themed-day", theme = "主题党日", heldOn = new DateOnly(2025, 7, 2), attendance = 10 });
        var problem = await ProblemAssert.IsProblemAsync(offDate, HttpStatusCode.BadRequest, "heldOn");
        Assert.Contains("2025-01-28", problem.GetProperty("errors").GetProperty("heldOn")[0].GetString());

        using var future = await PostAsync(Staff, "/study-activities",
            new { organizationId = Guid.NewGuid(), kind = "double-study", theme = "晨会学习", heldOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3), attendance = 10 });
        await ProblemAssert.IsProblemAsync(future, HttpStatusCode.BadRequest, "heldOn");

        using var empty = await PostAsync(Staff, "/study-activities", new { });
        var all = await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest);
        Assert.Equal(["attendance", "heldOn", "kind", "organizationId", "theme"], ProblemAssert.ErrorFields(all));
    }

    [Fact]
    public async Task Workers_cannot_record_study_activities()
    {
        using var response = await PostAsync(ClientAs(PlatformRoles.Worker), "/study-activities",
            new { organizationId = Guid.NewGuid(), kind = "double-study", theme = "晨会学习", heldOn = new DateOnly(2025, 3, 1), attendance = 10 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Articles_are_listed_by_category_and_each_read_is_counted()
    {
        var organizationId = Guid.NewGuid();
        using var created = await PostAsync(Staff, "/articles", new { organizationId, category = "skills", title = "电动车冬季安全骑行", body = "雨雪天气减速慢行……" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var article = await ReadAsync<ArticleResponse>(created);
        using (var policy = await PostAsync(Staff, "/articles", new { organizationId, category = "policy", title = "新就业形态劳动者权益保障", body = "……" }))
        {
            Assert.Equal(HttpStatusCode.Created, policy.StatusCode);
        }
        var reader = ClientAs(PlatformRoles.Worker);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => GetOkAsync<ArticleResponse>(reader, $"/articles/{article.Id}")));

        var skills = await PageAsync<ArticleSummary>(reader, "/articles?category=skills");
        var listed = Assert.Single(skills.Items);
        Assert.Equal((article.Id, 5L), (listed.Id, listed.ReadCount));
        Assert.Equal(2, (await PageAsync<ArticleSummary>(reader, "/articles")).Total);
        var stats = await GetOkAsync<TrainingStats>(Staff, "/stats");
        Assert.Equal((2L, 5L), (stats.Articles.Count, stats.Articles.Reads));
        using var missing = await reader.GetAsync(new Uri($"/articles/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task RecordAsync(Guid organizationId, string kind, DateOnly heldOn, int attendance)
    {
        using var response = await PostAsync(Staff, "/study-activities", new { organizationId, kind, theme = "学习", heldOn, attendance });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
