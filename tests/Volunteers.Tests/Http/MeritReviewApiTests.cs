using System.Net;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Volunteers.Tests.Http;

public sealed class MeritReviewApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    private static readonly string ThisMonth = ReviewMonth.Of(CityClock.DateOf(DateTimeOffset.UtcNow)).ToString();

    private async Task<NominationView> NominateAsync(HttpClient by, Guid workerId, string title)
    {
        using var response = await PostAsync(by, $"/merit-reviews/{ThisMonth}/nominations", new { title, workerId, reason = "全月接单无推诿、服务无投诉" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<NominationView>(response);
    }

    private static async Task ScoreAsync(HttpClient reviewer, Guid nominationId, int score)
    {
        using var response = await PutAsync(reviewer, $"/merit-reviews/{ThisMonth}/nominations/{nominationId}/score", new { score });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Closing_a_month_picks_the_best_average_per_title_explains_ties_and_freezes_the_month()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var first = await WorkerServingInAsync(community, enterpriseId);
        var second = await WorkerServingInAsync(community, enterpriseId);
        var volunteer = await WorkerServingInAsync(community, enterpriseId);
        var officer = Officer();
        var reviewer1 = Officer(Guid.NewGuid());
        var reviewer2 = Supervisor(Guid.NewGuid());

        var a = await NominateAsync(officer, first, "industry-expert");
        var b = await NominateAsync(officer, second, "industry-expert");
        var c = await NominateAsync(Staff(community), volunteer, "excellent-community-volunteer");
        using var twice = await PostAsync(officer, $"/merit-reviews/{ThisMonth}/nominations", new { title = "industry-expert", workerId = first, reason = "再次" });
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);

        await ScoreAsync(reviewer1, a.Id, 80);
        await ScoreAsync(reviewer2, a.Id, 100);
        await ScoreAsync(reviewer1, b.Id, 90);
        await ScoreAsync(reviewer2, b.Id, 90);
        await ScoreAsync(reviewer1, c.Id, 60);
        using var tooHigh = await PutAsync(reviewer1, $"/merit-reviews/{ThisMonth}/nominations/{a.Id}/score", new { score = 101 });
        await ProblemAssert.IsProblemAsync(tooHigh, HttpStatusCode.BadRequest, "score");

        // Level at 90: the earlier nomination leads. Then reviewer 1 changes their mind and the order turns.
        var standing = await GetOkAsync<Page<NominationView>>(reviewer1, $"/merit-reviews/{ThisMonth}/nominations?title=industry-expert");
        Assert.Equal([(a.Id, 90m, 80), (b.Id, 90m, 90)], standing.Items.Select(n => (n.Id, n.AverageScore!.Value, n.MyScore!.Value)));
        await ScoreAsync(reviewer1, a.Id, 70);
        standing = await GetOkAsync<Page<NominationView>>(reviewer2, $"/merit-reviews/{ThisMonth}/nominations?title=industry-expert");
        Assert.Equal([(b.Id, 90m, 2), (a.Id, 85m, 2)], standing.Items.Select(n => (n.Id, n.AverageScore!.Value, n.ScoreCount)));

        using var closed = await PostEmptyAsync(officer, $"/merit-reviews/{ThisMonth}/close");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var month = await ReadAsync<MeritMonthView>(closed);
        Assert.Equal(MeritMonthStatus.Closed, month.Status);
        Assert.Equal(
            [(MeritTitle.ExcellentCommunityVolunteer, 60m, WinningMargin.Unopposed), (MeritTitle.IndustryExpert, 90m, WinningMargin.HigherAverage)],
            month.Winners.Select(w => (w.Title, w.AverageScore, w.Margin)));
        Assert.All(month.Winners, w => Assert.Equal("张**", w.Name));

        // Nothing about a closed month changes.
        using var lateScore = await PutAsync(reviewer1, $"/merit-reviews/{ThisMonth}/nominations/{a.Id}/score", new { score = 100 });
        await ProblemAssert.IsProblemAsync(lateScore, HttpStatusCode.Conflict);
        using var lateNomination = await PostAsync(officer, $"/merit-reviews/{ThisMonth}/nominations", new { title = "excellent-community-volunteer", workerId = first, reason = "迟到" });
        await ProblemAssert.IsProblemAsync(lateNomination, HttpStatusCode.Conflict);
        using var closedAgain = await PostEmptyAsync(officer, $"/merit-reviews/{ThisMonth}/close");
        await ProblemAssert.IsProblemAsync(closedAgain, HttpStatusCode.Conflict);

        // The honour roll, for anyone signed in: masked, no ids; the winner sees their own title.
        var roll = await GetOkAsync<Page<MeritWinner>>(Worker(first), $"/merit-winners?month={ThisMonth}");
        Assert.Equal(month.Winners, roll.Items);
        Assert.Equal(month.Winners, (await GetOkAsync<MeritMonthView>(officer, $"/merit-reviews/{ThisMonth}")).Winners);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), "/merit-winners"));
        var won = Assert.Single((await GetOkAsync<Page<MyMeritTitle>>(Worker(second), "/workers/me/merit-titles")).Items);
        Assert.Equal((ThisMonth, MeritTitle.IndustryExpert), (won.Month, won.Title));
        Assert.Equal(0, (await GetOkAsync<Page<MyMeritTitle>>(Worker(first), "/workers/me/merit-titles")).Total);
        var review = await GetOkAsync<Page<NominationView>>(officer, $"/merit-reviews/{ThisMonth}/nominations?title=industry-expert");
        Assert.Equal([(b.Id, true, 1), (a.Id, false, 2)], review.Items.Select(n => (n.Id, n.Won, n.Place!.Value)));
    }

    [Fact]
    public async Task Nominations_are_checked_and_community_staff_nominate_only_their_own_workers()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var elsewhere = await CommunityAsync(district, name: "别的社区");
        var serving = await WorkerServingInAsync(community, enterpriseId);
        var notReportedIn = Guid.NewGuid();
        await RegisterWorkerAsync(notReportedIn, enterpriseId);
        var path = $"/merit-reviews/{ThisMonth}/nominations";

        using var otherStaff = await PostAsync(Staff(elsewhere), path, new { title = "industry-expert", workerId = serving, reason = "好" });
        await ProblemAssert.IsProblemAsync(otherStaff, HttpStatusCode.Forbidden);
        using var unknown = await PostAsync(Officer(), path, new { title = "industry-expert", workerId = Guid.NewGuid(), reason = "好" });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "workerId");
        using var notVolunteer = await PostAsync(Officer(), path, new { title = "excellent-community-volunteer", workerId = notReportedIn, reason = "好" });
        await ProblemAssert.IsProblemAsync(notVolunteer, HttpStatusCode.BadRequest, "workerId");
        using var badMonth = await PostAsync(Officer(), "/merit-reviews/2026-13/nominations", new { title = "industry-expert", workerId = serving, reason = "好" });
        await ProblemAssert.IsProblemAsync(badMonth, HttpStatusCode.BadRequest, "month");
        using var future = await PostAsync(Officer(), "/merit-reviews/2099-01/nominations", new { title = "industry-expert", workerId = serving, reason = "好" });
        await ProblemAssert.IsProblemAsync(future, HttpStatusCode.BadRequest, "month");
        using var unknownTitle = await PostRawAsync(Officer(), path, $$"""{"title":"best-dancer","workerId":"{{serving}}","reason":"好"}""");
        await ProblemAssert.IsProblemAsync(unknownTitle, HttpStatusCode.BadRequest, "title");
        using var byWorker = await PostAsync(Worker(serving), path, new { title = "industry-expert", workerId = serving, reason = "我自己" });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);

        var nomination = await NominateAsync(Officer(), notReportedIn, "industry-expert");
        using var staffScore = await PutAsync(Staff(community), $"/merit-reviews/{ThisMonth}/nominations/{nomination.Id}/score", new { score = 50 });
        Assert.Equal(HttpStatusCode.Forbidden, staffScore.StatusCode);
        using var wrongMonth = await PutAsync(Officer(), $"/merit-reviews/2020-01/nominations/{nomination.Id}/score", new { score = 50 });
        Assert.Equal(HttpStatusCode.NotFound, wrongMonth.StatusCode);

        // Closing an empty or unscored month is allowed and names no winner.
        using var closed = await PostEmptyAsync(Officer(), $"/merit-reviews/{ThisMonth}/close");
        Assert.Empty((await ReadAsync<MeritMonthView>(closed)).Winners);
        using var futureClose = await PostEmptyAsync(Officer(), "/merit-reviews/2099-01/close");
        await ProblemAssert.IsProblemAsync(futureClose, HttpStatusCode.BadRequest, "month");
    }

    [Fact]
    public async Task A_score_racing_the_close_either_counts_in_the_result_or_is_refused()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var worker = await WorkerServingInAsync(community, enterpriseId);
        var nomination = await NominateAsync(Officer(), worker, "industry-expert");
        await ScoreAsync(Officer(Guid.NewGuid()), nomination.Id, 50);

        var late = Enumerable.Range(0, 6).Select(_ => PutAsync(Supervisor(Guid.NewGuid()), $"/merit-reviews/{ThisMonth}/nominations/{nomination.Id}/score", new { score = 100 })).ToList();
        var close = PostEmptyAsync(Officer(), $"/merit-reviews/{ThisMonth}/close");
        var responses = await Task.WhenAll([.. late, close]);
        try
        {
            Assert.Equal(HttpStatusCode.OK, responses[^1].StatusCode);
            var accepted = responses[..^1].Count(r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses[..^1], r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            // Every score the reviewers were told was taken is in the winner's average, and no other.
            var winner = Assert.Single((await ReadAsync<MeritMonthView>(responses[^1])).Winners);
            Assert.Equal((1 + accepted, Math.Round((50m + 100m * accepted) / (1 + accepted), 2)), (winner.ScoreCount, winner.AverageScore));
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
