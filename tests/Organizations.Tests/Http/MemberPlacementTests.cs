using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>
/// Members placed from the volunteers service's events, published on the real RabbitMQ: either order, each event
/// redelivered (same message id) and republished (new message id), and still one member and one MemberPlaced.
/// </summary>
public sealed class MemberPlacementTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private static readonly DateTimeOffset RegisteredAt = new(2022, 6, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The service's clock: "today" stays one city day for the test, even across the city's midnight.</summary>
    private ShiftedClock Clock { get; } = ShiftedClock.MiddayInTheCity();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_party_member_of_an_uncovered_enterprise_is_placed_once_by_fallback_whichever_event_comes_first_and_however_often(bool reportedFirst)
    {
        await using var listener = await ExchangeListener.ForAsync<MemberPlaced>(Infrastructure);
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var worker = Guid.NewGuid();
        var registered = new WorkerRegistered(worker, "courier", depot.Id, true, "广阳区", RegisteredAt);
        var reported = new WorkerReportedToCommunity(worker, community.Id, RegisteredAt.AddDays(1));

        if (reportedFirst)
        {
            await DeliverRepeatedlyAsync(reported);
            Assert.Equal(0, (await MembersAsync()).Total);
            await DeliverRepeatedlyAsync(registered);
        }
        else
        {
            await DeliverRepeatedlyAsync(registered);
            // Party member, but no organization covers the depot and the community is not known yet: waiting.
            Assert.Equal(0, (await MembersAsync()).Total);
            await DeliverRepeatedlyAsync(reported);
        }

        var member = Assert.Single((await MembersAsync()).Items);
        Assert.Equal((worker, local.Id, true, PlacementReason.Fallback), (member.WorkerId, member.OrganizationId, member.Fallback, member.Reason));
        Assert.Single((await GetOkAsync<MemberDetailResponse>($"/members/{member.Id}")).History);
        var stats = await GetOkAsync<StatsResponse>("/stats");
        Assert.Equal((1, 1), (stats.Members, stats.FallbackMembers));
        var placed = await listener.NextAsync(e => Message(e).GetProperty("workerId").GetGuid() == worker);
        Assert.Equal(member.Id, Message(placed).GetProperty("memberId").GetGuid());
        Assert.Equal(local.Id, Message(placed).GetProperty("organizationId").GetGuid());
        Assert.True(Message(placed).GetProperty("fallback").GetBoolean());
        await WaitForEmptyOutboxAsync();
        await AssertNoMoreAsync(listener, worker);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_party_member_of_a_covered_enterprise_goes_to_the_covering_organization_not_the_community(bool reportedFirst)
    {
        await using var listener = await ExchangeListener.ForAsync<MemberPlaced>(Infrastructure);
        var community = await RegisterCommunityAsync(ValidCommunity());
        await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var covering = await EstablishAsync("branch", enterpriseIds: [depot.Id], name: "美团站党支部");
        var worker = Guid.NewGuid();
        var registered = new WorkerRegistered(worker, "food-delivery-rider", depot.Id, true, null, RegisteredAt);
        var reported = new WorkerReportedToCommunity(worker, community.Id, RegisteredAt);

        if (reportedFirst)
        {
            await DeliverRepeatedlyAsync(reported);
            await DeliverRepeatedlyAsync(registered);
        }
        else
        {
            await DeliverRepeatedlyAsync(registered);
            await DeliverRepeatedlyAsync(reported);
        }

        var member = Assert.Single((await MembersAsync()).Items);
        Assert.Equal((covering.Id, false), (member.OrganizationId, member.Fallback));
        await listener.NextAsync(e => Message(e).GetProperty("workerId").GetGuid() == worker);
        await WaitForEmptyOutboxAsync();
        await AssertNoMoreAsync(listener, worker);
    }

    [Fact]
    public async Task A_worker_who_is_not_a_party_member_is_not_placed()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        await EstablishAsync("general-branch", localCommunityId: community.Id);
        var worker = Guid.NewGuid();

        await DeliverAsync(new WorkerReportedToCommunity(worker, community.Id, RegisteredAt), Guid.NewGuid());
        await DeliverAsync(new WorkerRegistered(worker, "ride-hail-driver", (await RegisterEnterpriseAsync(ValidEnterprise())).Id, false, null, RegisteredAt), Guid.NewGuid());

        Assert.Equal(0, (await MembersAsync()).Total);
    }

    [Fact]
    public async Task Establishing_an_organization_for_the_depot_moves_fallback_members_in_and_keeps_their_history()
    {
        await using var listener = await ExchangeListener.ForAsync<MemberPlaced>(Infrastructure);
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var worker = Guid.NewGuid();
        await DeliverAsync(new WorkerRegistered(worker, "courier", depot.Id, true, null, RegisteredAt), Guid.NewGuid());
        await DeliverAsync(new WorkerReportedToCommunity(worker, community.Id, RegisteredAt), Guid.NewGuid());
        var fallback = Assert.Single((await MembersAsync("?fallback=true")).Items);

        var branch = await EstablishAsync("branch", enterpriseIds: [depot.Id], name: "快递站党支部");

        var moved = await GetOkAsync<MemberDetailResponse>($"/members/{fallback.Id}");
        Assert.Equal((branch.Id, false, PlacementReason.CoveringOrganization), (moved.Member.OrganizationId, moved.Member.Fallback, moved.Member.Reason));
        Assert.Equal([local.Id, branch.Id], moved.History.Select(h => h.OrganizationId));
        Assert.NotNull(moved.History[0].EndedAt);
        Assert.Null(moved.History[1].EndedAt);
        Assert.Equal(0, (await MembersAsync("?fallback=true")).Total);
        var events = new[]
        {
            await listener.NextAsync(e => Message(e).GetProperty("workerId").GetGuid() == worker),
            await listener.NextAsync(e => Message(e).GetProperty("workerId").GetGuid() == worker),
        };
        Assert.Equal([false, true], events.Select(e => Message(e).GetProperty("fallback").GetBoolean()).Order());
    }

    [Fact]
    public async Task An_officer_transfer_keeps_history_publishes_MemberPlaced_and_is_not_undone_by_later_events()
    {
        await using var listener = await ExchangeListener.ForAsync<MemberPlaced>(Infrastructure);
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var other = await EstablishAsync("branch", name: "另一支部");
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var worker = Guid.NewGuid();
        await DeliverAsync(new WorkerRegistered(worker, "courier", depot.Id, true, null, RegisteredAt), Guid.NewGuid());
        await DeliverAsync(new WorkerReportedToCommunity(worker, community.Id, RegisteredAt), Guid.NewGuid());
        var member = Assert.Single((await MembersAsync()).Items);

        var transferred = await PostExpectingAsync<MemberResponse>($"/members/{member.Id}/transfers", new { organizationId = other.Id, note = "工作调动" });
        await EstablishAsync("branch", enterpriseIds: [depot.Id], name: "快递站党支部");

        Assert.Equal((other.Id, PlacementReason.Transfer, false), (transferred.OrganizationId, transferred.Reason, transferred.Fallback));
        var detail = await GetOkAsync<MemberDetailResponse>($"/members/{member.Id}");
        Assert.Equal(other.Id, detail.Member.OrganizationId);
        Assert.Equal([local.Id, other.Id], detail.History.Select(h => h.OrganizationId));
        Assert.Equal("工作调动", detail.History[1].Note);
        await listener.NextAsync(e => Message(e).GetProperty("organizationId").GetGuid() == other.Id);
        using var unknown = await PostAsync($"/members/{member.Id}/transfers", new { organizationId = Guid.NewGuid() });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "organizationId");
        using var same = await PostAsync($"/members/{member.Id}/transfers", new { organizationId = other.Id });
        await ProblemAssert.IsProblemAsync(same, HttpStatusCode.Conflict);
        using var missing = await PostAsync($"/members/{Guid.NewGuid()}/transfers", new { organizationId = other.Id });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_worker_sees_their_own_membership_and_nobody_elses()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id);
        var worker = Guid.NewGuid();
        await DeliverAsync(new WorkerReportedToCommunity(worker, community.Id, RegisteredAt), Guid.NewGuid());
        await DeliverAsync(new WorkerRegistered(worker, "courier", (await RegisterEnterpriseAsync(ValidEnterprise())).Id, true, null, RegisteredAt), Guid.NewGuid());
        using var own = Service.CreateHttpClient(TestTokens.ForWorker(worker));
        using var stranger = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));

        using var mine = await own.GetAsync(new Uri("/members/me", UriKind.Relative));
        using var notMine = await stranger.GetAsync(new Uri("/members/me", UriKind.Relative));
        using var list = await own.GetAsync(new Uri("/members", UriKind.Relative));

        Assert.Equal(local.Id, (await ReadAsync<MemberDetailResponse>(mine)).Member.OrganizationId);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task Political_birthdays_in_the_next_days_are_listed_by_anniversary_in_Shanghai_dates()
    {
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id);
        var today = Clock.CityToday;
        var soon = await PlaceMemberAsync(community.Id);
        var later = await PlaceMemberAsync(community.Id);
        var tomorrow = await PlaceMemberAsync(community.Id);
        var noDate = await PlaceMemberAsync(community.Id);
        // Whole leap cycles back, so a date that is 29 February stays one (AddYears(-1) would make it the 28th, a day early).
        await SetJoinedAsync(soon, today.AddDays(5).AddYears(-12));
        await SetJoinedAsync(later, today.AddDays(40).AddYears(-4));
        await SetJoinedAsync(tomorrow, today.AddDays(1).AddYears(-8));

        var week = await GetOkAsync<Page<PoliticalBirthdayResponse>>("/members/political-birthdays?days=7");

        Assert.Equal([tomorrow.Id, soon.Id], week.Items.Select(b => b.MemberId));
        Assert.Equal(today.AddDays(5), week.Items[1].Anniversary);
        Assert.Equal(12, week.Items[1].Years);
        Assert.Equal(local.Id, week.Items[1].OrganizationId);
        Assert.Equal(3, (await GetOkAsync<Page<PoliticalBirthdayResponse>>("/members/political-birthdays?days=60")).Total);
        Assert.DoesNotContain(noDate.Id, (await GetOkAsync<Page<PoliticalBirthdayResponse>>("/members/political-birthdays?days=366")).Items.Select(b => b.MemberId));
        using var badDays = await Client.GetAsync(new Uri("/members/political-birthdays?days=0", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(badDays, HttpStatusCode.BadRequest, "days");
        using var future = await SendAsync(HttpMethod.Put, $"/members/{soon.Id}/joined-party-on", new { joinedPartyOn = today.AddDays(1).ToString("yyyy-MM-dd") });
        await ProblemAssert.IsProblemAsync(future, HttpStatusCode.BadRequest, "joinedPartyOn");
    }

    private async Task<MemberResponse> PlaceMemberAsync(Guid communityId)
    {
        var worker = Guid.NewGuid();
        await DeliverAsync(new WorkerReportedToCommunity(worker, communityId, RegisteredAt), Guid.NewGuid());
        await DeliverAsync(new WorkerRegistered(worker, "courier", (await RegisterEnterpriseAsync(ValidEnterprise())).Id, true, null, RegisteredAt), Guid.NewGuid());
        return (await MembersAsync("?pageSize=200")).Items.Single(m => m.WorkerId == worker);
    }

    private async Task SetJoinedAsync(MemberResponse member, DateOnly joinedOn)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/members/{member.Id}/joined-party-on", new { joinedPartyOn = joinedOn.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<Page<MemberResponse>> MembersAsync(string query = "") => GetOkAsync<Page<MemberResponse>>($"/members{query}");

    /// <summary>
    /// Publishes the event on the real bus three times: once, redelivered with the same message id (skipped by the
    /// inbox), and republished with a new message id (handled again, with no second effect); waits until all three were consumed.
    /// </summary>
    private async Task DeliverRepeatedlyAsync<T>(T message) where T : class
    {
        using var duplicates = new DuplicateCounter(Service.Services.GetRequiredService<IMeterFactory>());
        var id = Guid.NewGuid();
        await DeliverAsync(message, id);
        await PublishAsync(message, id);
        await DeliverAsync(message, Guid.NewGuid());
        await Eventually.Until(_ => Task.FromResult(duplicates.Count), n => n == 1, $"the redelivered {typeof(T).Name} skipped");
    }

    private async Task DeliverAsync<T>(T message, Guid messageId) where T : class
    {
        await PublishAsync(message, messageId);
        await Eventually.Until(
            _ => Service.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE \"MessageId\" = @id", ("id", messageId)),
            n => n == 1,
            $"{typeof(T).Name} {messageId} handled");
    }

    private async Task PublishAsync<T>(T message, Guid messageId) where T : class
    {
        using var timeout = new CancellationTokenSource(ServiceFactory<Program>.BusTimeout);
        await Service.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId, timeout.Token);
    }

    private static async Task AssertNoMoreAsync(ExchangeListener listener, Guid worker) =>
        await Assert.ThrowsAsync<TimeoutException>(() => listener.NextAsync(e => Message(e).GetProperty("workerId").GetGuid() == worker, TimeSpan.FromSeconds(2)));

    private static JsonElement Message(JsonElement envelope) => envelope.GetProperty("message");

    /// <summary>Counts the inbox's skipped duplicates of this service instance (the kit's own metric).</summary>
    private sealed class DuplicateCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public DuplicateCounter(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument.Name == "platform.inbox.duplicates" && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
