using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Volunteers.Tests.Http;

public sealed class ServiceLogsApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    /// <summary>The service's clock: the test and the service agree on "today" even across the city's midnight.</summary>
    private ShiftedClock Clock { get; } = ShiftedClock.MiddayInTheCity();

    private DateOnly Today => Clock.CityToday;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<ServiceLogView> LogAsync(Guid workerId, Guid communityId, decimal hours, string kind = "elderly-help", DateOnly? servedOn = null, string? note = null)
    {
        using var response = await PostAsync(Worker(workerId), "/workers/me/service-logs",
            new { kind, servedOn = Day(servedOn ?? Today), hours, communityId, note });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<ServiceLogView>(response);
    }

    private async Task ConfirmAsync(Guid communityId, Guid logId)
    {
        using var confirmed = await PostEmptyAsync(Staff(communityId), $"/service-logs/{logId}/confirm");
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task The_community_s_staff_confirm_or_decline_service_and_only_confirmed_hours_count()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var lockedDown = await CommunityAsync(district, name: "封控社区");
        var workerId = await WorkerServingInAsync(community, enterpriseId);

        var helped = await LogAsync(workerId, community, 2.5m, note: "帮李奶奶取药");
        Assert.Equal((ServiceLogStatus.Pending, "银河北路社区", "帮李奶奶取药"), (helped.Status, helped.CommunityName, helped.Note));
        var patrol = await LogAsync(workerId, community, 3m, "community-patrol");
        var delivery = await LogAsync(workerId, lockedDown, 1.25m, "lockdown-delivery");

        var pending = await GetOkAsync<Page<ServiceLogForStaff>>(Staff(community), "/service-logs?status=pending");
        Assert.Equal(2, pending.Total);
        Assert.All(pending.Items, l => Assert.Equal((workerId, "张**"), (l.Worker.Id, l.Worker.Name)));
        using var notTheirs = await PostEmptyAsync(Staff(lockedDown), $"/service-logs/{helped.Id}/confirm");
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        using var byWorker = await PostEmptyAsync(Worker(workerId), $"/service-logs/{helped.Id}/confirm");
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);

        await ConfirmAsync(community, helped.Id);
        using var noReason = await PostAsync(Staff(community), $"/service-logs/{patrol.Id}/decline", new { reason = "" });
        await ProblemAssert.IsProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        using var declined = await PostAsync(Staff(community), $"/service-logs/{patrol.Id}/decline", new { reason = "当天未见巡逻记录" });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        using var twice = await PostEmptyAsync(Staff(community), $"/service-logs/{helped.Id}/confirm");
        await ProblemAssert.IsProblemAsync(twice, HttpStatusCode.Conflict);

        var mine = await GetOkAsync<MyServiceHours>(Worker(workerId), "/workers/me/service-hours");
        Assert.Equal((2.5m, 1.25m), (mine.Confirmed, mine.Pending));
        Assert.Equal(2.5m, mine.ConfirmedByKind["elderly-help"]);
        var logs = await GetOkAsync<Page<ServiceLogView>>(Worker(workerId), "/workers/me/service-logs?status=declined");
        Assert.Equal("当天未见巡逻记录", Assert.Single(logs.Items).DeclineReason);

        await ConfirmAsync(lockedDown, delivery.Id);
        var perWorker = Assert.Single((await GetOkAsync<Page<WorkerHours>>(Officer(), "/service-hours/workers")).Items);
        Assert.Equal((workerId, "张**", 3.75m, 2L), (perWorker.WorkerId, perWorker.Name, perWorker.Hours, perWorker.Logs));
        var perCommunity = await GetOkAsync<Page<CommunityHours>>(Officer(), "/service-hours/communities");
        Assert.Equal([(community, 2.5m), (lockedDown, 1.25m)], perCommunity.Items.Select(c => (c.CommunityId, c.Hours)));
        // Staff count service in their own communities only.
        Assert.Equal(1.25m, Assert.Single((await GetOkAsync<Page<WorkerHours>>(Staff(lockedDown), "/service-hours/workers")).Items).Hours);
        Assert.Equal(lockedDown, Assert.Single((await GetOkAsync<Page<CommunityHours>>(Staff(lockedDown), "/service-hours/communities")).Items).CommunityId);
    }

    [Fact]
    public async Task A_team_counts_its_members_hours_on_the_days_they_were_members_and_stats_show_volunteers_and_hours()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var leader = await WorkerServingInAsync(community, enterpriseId, partyMember: true);
        var member = await WorkerServingInAsync(community, enterpriseId);
        var loner = await WorkerServingInAsync(community, enterpriseId);
        using var formed = await PostAsync(Staff(community), "/vanguard-teams", new { name = "先锋队", communityId = community, leaderId = leader });
        var team = await ReadAsync<VanguardTeamView>(formed);
        using var joined = await PostAsync(Worker(member), "/workers/me/vanguard-team", new { teamId = team.Id });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);

        var yesterday = Today.AddDays(-1);
        foreach (var (worker, hours, day) in new[] { (member, 2m, yesterday), (member, 3m, Today), (leader, 1m, Today), (loner, 4m, Today) })
        {
            await ConfirmAsync(community, (await LogAsync(worker, community, hours, "epidemic-prevention", day)).Id);
        }
        await LogAsync(leader, community, 6m, "community-patrol");

        // The member joined today: yesterday's service was before the team.
        var teams = Assert.Single((await GetOkAsync<Page<TeamHours>>(Staff(community), "/service-hours/teams")).Items);
        Assert.Equal((team.Id, 4m, true), (teams.TeamId, teams.Hours, teams.Active));
        var perWorker = await GetOkAsync<Page<WorkerHours>>(Officer(), $"/service-hours/workers?communityId={community}");
        Assert.Equal([(member, 5m), (loner, 4m), (leader, 1m)], perWorker.Items.Select(w => (w.WorkerId, w.Hours)));
        var fromToday = await GetOkAsync<Page<WorkerHours>>(Officer(), $"/service-hours/workers?from={Day(Today)}&pageSize=1");
        Assert.Equal((3L, 4m), (fromToday.Total, Assert.Single(fromToday.Items).Hours));
        using var backwards = await Officer().GetAsync(new Uri($"/service-hours/teams?from={Day(Today)}&to={Day(yesterday)}", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(backwards, HttpStatusCode.BadRequest, "to");

        var stats = await GetOkAsync<VolunteerStats>(Officer(), "/stats");
        Assert.Equal((2L, 1L, 10m), (stats.Volunteers, stats.VanguardTeams, stats.ServiceHours));
        Assert.Equal(10m, stats.ServiceHoursByKind["epidemic-prevention"]);
        var statsToday = await GetOkAsync<VolunteerStats>(Officer(), $"/stats?from={Uri.EscapeDataString(CityClock.StartOf(Today).ToString("O"))}");
        Assert.Equal(8m, statsToday.ServiceHours);
    }

    [Fact]
    public async Task Bad_service_logs_are_refused_field_by_field_and_a_day_holds_24_hours()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var workerId = await WorkerServingInAsync(community, enterpriseId);
        var worker = Worker(workerId);

        using var tooLong = await PostAsync(worker, "/workers/me/service-logs", new { kind = "elderly-help", servedOn = Day(Today), hours = 25, communityId = community });
        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest, "hours");
        using var future = await PostAsync(worker, "/workers/me/service-logs", new { kind = "elderly-help", servedOn = Day(Today.AddDays(1)), hours = 1, communityId = community });
        await ProblemAssert.IsProblemAsync(future, HttpStatusCode.BadRequest, "servedOn");
        using var unknownKind = await PostRawAsync(worker, "/workers/me/service-logs", $$"""{"kind":"sightseeing","servedOn":"{{Day(Today)}}","hours":1,"communityId":"{{community}}"}""");
        await ProblemAssert.IsProblemAsync(unknownKind, HttpStatusCode.BadRequest, "kind");
        using var otherWithoutNote = await PostAsync(worker, "/workers/me/service-logs", new { kind = "other", servedOn = Day(Today), hours = 1, communityId = Guid.NewGuid() });
        await ProblemAssert.IsProblemAsync(otherWithoutNote, HttpStatusCode.BadRequest, "note", "communityId");
        using var stranger = await PostAsync(Worker(Guid.NewGuid()), "/workers/me/service-logs", new { kind = "elderly-help", servedOn = Day(Today), hours = 1, communityId = community });
        await ProblemAssert.IsProblemAsync(stranger, HttpStatusCode.NotFound);

        var first = await LogAsync(workerId, community, 20m, "lockdown-delivery");
        using var beyondTheDay = await PostAsync(worker, "/workers/me/service-logs", new { kind = "elderly-help", servedOn = Day(Today), hours = 4.25, communityId = community });
        await ProblemAssert.IsProblemAsync(beyondTheDay, HttpStatusCode.BadRequest, "hours");

        // Withdrawing the pending log frees the day; a decided log stays.
        using var withdrawn = await DeleteAsync(worker, $"/workers/me/service-logs/{first.Id}");
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        var second = await LogAsync(workerId, community, 4.25m);
        await ConfirmAsync(community, second.Id);
        using var decided = await DeleteAsync(worker, $"/workers/me/service-logs/{second.Id}");
        await ProblemAssert.IsProblemAsync(decided, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(Worker(Guid.NewGuid()), $"/workers/me/service-logs/{second.Id}")).StatusCode);
    }
}
