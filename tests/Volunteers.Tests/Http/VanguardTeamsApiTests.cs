using System.Net;
using Npgsql;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Http;

public sealed class VanguardTeamsApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    private async Task<VanguardTeamView> FormAsync(Guid community, Guid leaderId, string name = "银河北路红色志愿先锋队")
    {
        using var formed = await PostAsync(Staff(community), "/vanguard-teams", new { name, communityId = community, leaderId });
        Assert.True(formed.StatusCode == HttpStatusCode.Created, await formed.Content.ReadAsStringAsync());
        return await ReadAsync<VanguardTeamView>(formed);
    }

    [Fact]
    public async Task Staff_form_a_team_led_by_a_Party_member_and_workers_of_the_community_join_and_leave_with_history_kept()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var elsewhere = await CommunityAsync(district, name: "别的社区");
        var leader = await WorkerServingInAsync(community, enterpriseId, partyMember: true);
        var member = await WorkerServingInAsync(community, enterpriseId);
        var outsider = await WorkerServingInAsync(elsewhere, enterpriseId);

        using var notParty = await PostAsync(Staff(community), "/vanguard-teams", new { name = "先锋队", communityId = community, leaderId = member });
        await ProblemAssert.IsProblemAsync(notParty, HttpStatusCode.BadRequest, "leaderId");
        using var notTheirs = await PostAsync(Staff(elsewhere), "/vanguard-teams", new { name = "先锋队", communityId = community, leaderId = leader });
        await ProblemAssert.IsProblemAsync(notTheirs, HttpStatusCode.Forbidden);

        var team = await FormAsync(community, leader);
        Assert.Equal(("张**", 1L, district, "银河北路社区"), (team.LeaderName, team.Members, team.District, team.CommunityName));
        using var second = await PostAsync(Officer(), "/vanguard-teams", new { name = "第二队", communityId = community, leaderId = leader });
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);

        var key = Guid.NewGuid().ToString();
        using var joined = await PostAsync(Worker(member), "/workers/me/vanguard-team", new { teamId = team.Id }, key);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        // A phone retrying the same join on a bad network gets the same answer, not a conflict.
        using var retried = await PostAsync(Worker(member), "/workers/me/vanguard-team", new { teamId = team.Id }, key);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal((await ReadAsync<TeamMemberView>(joined)).JoinedAt, (await ReadAsync<TeamMemberView>(retried)).JoinedAt);
        using var again = await PostAsync(Worker(member), "/workers/me/vanguard-team", new { teamId = team.Id });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        using var fromElsewhere = await PostAsync(Worker(outsider), "/workers/me/vanguard-team", new { teamId = team.Id });
        await ProblemAssert.IsProblemAsync(fromElsewhere, HttpStatusCode.UnprocessableEntity);

        var members = await GetOkAsync<Page<TeamMemberView>>(Staff(community), $"/vanguard-teams/{team.Id}/members");
        Assert.Equal([(leader, true, "张**"), (member, false, "张**")], members.Items.Select(m => (m.WorkerId, m.Leader, m.Name)));
        Assert.Equal(2, (await GetOkAsync<Page<TeamMemberView>>(Worker(member), $"/vanguard-teams/{team.Id}/members")).Total);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Worker(outsider), $"/vanguard-teams/{team.Id}/members"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Staff(elsewhere), $"/vanguard-teams/{team.Id}/members"));

        using var leaderLeaves = await DeleteAsync(Worker(leader), "/workers/me/vanguard-team");
        await ProblemAssert.IsProblemAsync(leaderLeaves, HttpStatusCode.Conflict);
        using var left = await DeleteAsync(Worker(member), "/workers/me/vanguard-team");
        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);

        Assert.Equal(1, (await GetOkAsync<Page<TeamMemberView>>(Officer(), $"/vanguard-teams/{team.Id}/members")).Total);
        var history = await GetOkAsync<Page<TeamMemberView>>(Officer(), $"/vanguard-teams/{team.Id}/members?includeFormer=true");
        Assert.Equal([(leader, (MembershipEnd?)null), (member, MembershipEnd.Left)], history.Items.Select(m => (m.WorkerId, m.EndedBy)));
        var mine = Assert.Single((await GetOkAsync<Page<MyMembershipView>>(Worker(member), "/workers/me/vanguard-memberships")).Items);
        Assert.Equal((team.Id, MembershipEnd.Left), (mine.TeamId, mine.EndedBy));
        Assert.NotNull(mine.LeftAt);

        var listed = Assert.Single((await GetOkAsync<Page<VanguardTeamView>>(Worker(outsider), $"/vanguard-teams?district={Uri.EscapeDataString(district)}")).Items);
        Assert.Equal((team.Id, 1L), (listed.Id, listed.Members));
    }

    [Fact]
    public async Task The_leadership_passes_to_a_Party_member_of_the_team_and_a_dissolved_team_frees_its_members_and_community()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var leader = await WorkerServingInAsync(community, enterpriseId, partyMember: true);
        var member = await WorkerServingInAsync(community, enterpriseId);
        var partyMember = await WorkerServingInAsync(community, enterpriseId, partyMember: true);
        var team = await FormAsync(community, leader);
        var staff = Staff(community);
        foreach (var worker in new[] { member, partyMember })
        {
            using var added = await PostAsync(staff, $"/vanguard-teams/{team.Id}/members", new { workerId = worker });
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        using var toNonMember = await PutAsync(staff, $"/vanguard-teams/{team.Id}/leader", new { workerId = member });
        await ProblemAssert.IsProblemAsync(toNonMember, HttpStatusCode.UnprocessableEntity);
        using var removeLeader = await DeleteAsync(staff, $"/vanguard-teams/{team.Id}/members/{leader}");
        await ProblemAssert.IsProblemAsync(removeLeader, HttpStatusCode.Conflict);
        using var handedOver = await PutAsync(staff, $"/vanguard-teams/{team.Id}/leader", new { workerId = partyMember });
        Assert.Equal(HttpStatusCode.OK, handedOver.StatusCode);
        using var removed = await DeleteAsync(staff, $"/vanguard-teams/{team.Id}/members/{leader}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var former = Assert.Single((await GetOkAsync<Page<MyMembershipView>>(Worker(leader), "/workers/me/vanguard-memberships")).Items);
        Assert.Equal((MembershipEnd.Removed, false), (former.EndedBy, former.Leader));

        using var dissolved = await PostEmptyAsync(staff, $"/vanguard-teams/{team.Id}/dissolve");
        Assert.Equal(HttpStatusCode.OK, dissolved.StatusCode);
        Assert.NotNull((await ReadAsync<VanguardTeamView>(dissolved)).DissolvedAt);
        Assert.Equal(0, (await GetOkAsync<Page<VanguardTeamView>>(Officer(), $"/vanguard-teams?communityId={community}")).Total);
        Assert.Equal(1, (await GetOkAsync<Page<VanguardTeamView>>(Officer(), $"/vanguard-teams?communityId={community}&includeDissolved=true")).Total);
        var ended = await GetOkAsync<Page<TeamMemberView>>(staff, $"/vanguard-teams/{team.Id}/members?includeFormer=true");
        Assert.All(ended.Items, m => Assert.NotNull(m.EndedBy));
        using var joinDissolved = await PostAsync(Worker(member), "/workers/me/vanguard-team", new { teamId = team.Id });
        await ProblemAssert.IsProblemAsync(joinDissolved, HttpStatusCode.Conflict);

        // The community forms a new team, led by the former leader, now free again.
        var next = await FormAsync(community, leader, "新先锋队");
        Assert.Equal(1L, next.Members);
    }

    [Fact]
    public async Task Concurrent_joins_for_one_worker_leave_exactly_one_current_membership_and_the_database_refuses_a_second_team()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var otherCommunity = await CommunityAsync(district, name: "另一个社区");
        var team = await FormAsync(community, await WorkerServingInAsync(community, enterpriseId, partyMember: true));
        var otherTeam = await FormAsync(otherCommunity, await WorkerServingInAsync(otherCommunity, enterpriseId, partyMember: true), "另一队");
        var worker = await WorkerServingInAsync(community, enterpriseId);

        // The worker's own join and the staff's adding of the same worker, several times at once.
        var self = Worker(worker);
        var staff = Staff(community);
        var attempts = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? PostAsync(self, "/workers/me/vanguard-team", new { teamId = team.Id })
            : PostAsync(staff, $"/vanguard-teams/{team.Id}/members", new { workerId = worker })).ToList();
        var responses = await Task.WhenAll(attempts);
        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM vanguard_memberships WHERE \"WorkerId\" = @w AND \"LeftAt\" IS NULL", ("w", worker)));

        // Whatever the application checks, the database itself keeps a worker in one team at a time.
        await using var connection = new NpgsqlConnection(Service.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO vanguard_memberships (\"Id\", \"TeamId\", \"WorkerId\", \"JoinedAt\", \"JoinedOn\") VALUES (@id, @team, @worker, now(), current_date)", connection);
        insert.Parameters.AddWithValue("id", Guid.NewGuid());
        insert.Parameters.AddWithValue("team", otherTeam.Id);
        insert.Parameters.AddWithValue("worker", worker);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
    }

    [Fact]
    public async Task A_join_racing_a_dissolution_never_leaves_a_member_in_a_dissolved_team()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var leader = await WorkerServingInAsync(community, enterpriseId, partyMember: true);
        var joiners = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            joiners.Add(await WorkerServingInAsync(community, enterpriseId));
        }
        var team = await FormAsync(community, leader);

        var joins = joiners.Select(w => PostAsync(Worker(w), "/workers/me/vanguard-team", new { teamId = team.Id })).ToList();
        var dissolve = PostEmptyAsync(Staff(community), $"/vanguard-teams/{team.Id}/dissolve");
        var responses = await Task.WhenAll([.. joins, dissolve]);
        try
        {
            Assert.Equal(HttpStatusCode.OK, responses[^1].StatusCode);
            Assert.All(responses[..^1], r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM vanguard_memberships WHERE \"TeamId\" = @t AND \"LeftAt\" IS NULL", ("t", team.Id)));
    }
}
