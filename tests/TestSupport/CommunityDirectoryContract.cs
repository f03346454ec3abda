using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Communities;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using RabbitMQ.Client;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// What every service that keeps a local copy of communities promises: <c>CommunityRegistered</c> events consumed from
/// the queue "&lt;service&gt;-community-directory" (idempotently, as upserts) and <c>GET /communities</c> over the copy.
/// Each such service's test project derives one class from this, with its <c>Program</c> and service name.
/// Every test runs the real service on its own fresh database; data is kept apart by districts unique to the test,
/// because the queue (and so a message a previous test left in it) is shared on the broker.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class CommunityDirectoryContract<TProgram>(LocalInfrastructure infrastructure, string serviceName) : IAsyncLifetime
    where TProgram : class
{
    private const string ConsumerName = "community-directory";
    private ServiceFactory<TProgram>? _service;
    private HttpClient? _client;

    private ServiceFactory<TProgram> Service => _service ?? throw new InvalidOperationException("Not started.");
    private HttpClient Client => _client ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<TProgram>(infrastructure, serviceName);
        await _service.StartWithBusAsync();
        _client = _service.CreateHttpClient(TestTokens.For(Platform.ServiceDefaults.Security.PlatformRoles.Worker));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_copy_is_fed_from_the_service_s_own_durable_queue()
    {
        Assert.Equal(serviceName, Service.Services.GetRequiredService<IHostEnvironment>().ApplicationName.ToLowerInvariant());
        var factory = new ConnectionFactory { Uri = new Uri(infrastructure.RabbitMqConnectionString), RequestedConnectionTimeout = TimeSpan.FromSeconds(10) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await factory.CreateConnectionAsync(timeout.Token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);

        var queue = await channel.QueueDeclarePassiveAsync($"{serviceName}-community-directory", timeout.Token);

        Assert.True(queue.ConsumerCount >= 1, $"Nothing consumes {queue.QueueName}.");
    }

    [Fact]
    public async Task A_published_community_appears_in_the_list_with_all_its_fields()
    {
        var district = UniqueDistrict();
        var community = NewCommunity(district, "银河北路社区");
        var messageId = NewId.NextGuid();

        await PublishAsync(community, messageId);

        var page = await Eventually.Until(
            ct => ListAsync($"?district={Uri.EscapeDataString(district)}", ct),
            p => p.Total == 1,
            "the community in the local copy");
        var view = Assert.Single(page.Items);
        AssertSame(community, view);
        Assert.Equal(1, page.PageNumber);
        Assert.Equal(PageQuery.DefaultPageSize, page.PageSize);
        // The effect and the inbox row of the chosen message id were saved together.
        Assert.Equal(1L, await Service.ScalarAsync<long>(
            "SELECT count(*) FROM inbox_messages WHERE \"MessageId\" = @id AND \"Consumer\" = @consumer",
            ("id", messageId), ("consumer", ConsumerName)));
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("%E5%B9%BF%01")]
    public async Task A_district_filter_with_a_control_character_is_a_400_naming_district(string district)
    {
        // PostgreSQL refuses a NUL in text: it must never reach the query (it was a 500).
        using var response = await Client.GetAsync(new Uri($"/communities?district={district}", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "district");
        Assert.Equal(["district"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task One_community_is_found_by_id_and_an_unknown_id_is_not()
    {
        var community = NewCommunity(UniqueDistrict(), "新开路社区");
        await PublishAsync(community, NewId.NextGuid());

        var view = await WaitForAsync(community.CommunityId, community.Name);
        AssertSame(community, view);

        using var unknown = await Client.GetAsync(new Uri($"/communities/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var notAnId = await Client.GetAsync(new Uri("/communities/not-a-guid", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }

    [Fact]
    public async Task A_redelivered_message_has_no_second_effect()
    {
        var community = NewCommunity(UniqueDistrict(), "原名社区");
        var messageId = NewId.NextGuid();
        await PublishAsync(community, messageId);
        await WaitForAsync(community.CommunityId, community.Name);

        using var duplicates = new DuplicateCounter(Service.Services.GetRequiredService<IMeterFactory>());
        await PublishAsync(community with { Name = "改名社区" }, messageId);

        // The consumer reports the skipped duplicate; only then is "no effect" a fact and not a race.
        await Eventually.Until(_ => Task.FromResult(duplicates.Count), n => n >= 1, "the duplicate skipped by the inbox");
        var view = await GetAsync(community.CommunityId);
        Assert.Equal("原名社区", view.Name);
        Assert.Equal(1L, await Service.ScalarAsync<long>(
            "SELECT count(*) FROM inbox_messages WHERE \"MessageId\" = @id", ("id", messageId)));
    }

    [Fact]
    public async Task A_new_message_for_the_same_community_updates_the_copy()
    {
        var district = UniqueDistrict();
        var community = NewCommunity(district, "旧名社区");
        await PublishAsync(community, NewId.NextGuid());
        await WaitForAsync(community.CommunityId, community.Name);

        var renamed = community with { Name = "新名社区", Street = "新街道", Latitude = -90, Longitude = 180, RegisteredAt = community.RegisteredAt.AddMinutes(5) };
        await PublishAsync(renamed, NewId.NextGuid());

        var view = await WaitForAsync(community.CommunityId, renamed.Name);
        AssertSame(renamed, view);
        var page = await ListAsync($"?district={Uri.EscapeDataString(district)}", CancellationToken.None);
        Assert.Equal(1, page.Total);
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM communities WHERE \"Id\" = @id", ("id", community.CommunityId)));
    }

    [Fact]
    public async Task A_community_update_changes_the_copy_and_an_older_registration_arriving_later_does_not_undo_it()
    {
        var community = NewCommunity(UniqueDistrict(), "旧名社区");
        await PublishAsync(community, NewId.NextGuid());
        await WaitForAsync(community.CommunityId, community.Name);

        var update = new CommunityUpdated(community.CommunityId, "新名社区", community.District, "新街道", 39.52, 116.70, community.RegisteredAt.AddDays(3));
        await PublishAsync(update);
        var view = await WaitForAsync(community.CommunityId, update.Name);
        Assert.Equal((update.Street, update.Latitude, update.Longitude), (view.Street, view.Latitude, view.Longitude));

        // The registration again under a new message id (a replay from the owner): older details, so no change.
        var replayId = NewId.NextGuid();
        await PublishAsync(community, replayId);
        await Eventually.Until(
            _ => Service.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE \"MessageId\" = @id", ("id", replayId)),
            n => n == 1, "the replayed registration consumed");
        Assert.Equal(update.Name, (await GetAsync(community.CommunityId)).Name);
    }

    [Fact]
    public async Task An_update_that_overtakes_the_registration_creates_the_copy_and_the_registration_keeps_the_newer_details()
    {
        var community = NewCommunity(UniqueDistrict(), "原名社区");
        var update = new CommunityUpdated(community.CommunityId, "更名社区", community.District, "新街道", 39.53, 116.71, community.RegisteredAt.AddHours(1));

        await PublishAsync(update);
        await WaitForAsync(community.CommunityId, update.Name);
        var registrationId = NewId.NextGuid();
        await PublishAsync(community, registrationId);
        await Eventually.Until(
            _ => Service.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE \"MessageId\" = @id", ("id", registrationId)),
            n => n == 1, "the late registration consumed");

        var view = await GetAsync(community.CommunityId);
        Assert.Equal((update.Name, update.Street, update.Latitude), (view.Name, view.Street, view.Latitude));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM communities WHERE \"Id\" = @id", ("id", community.CommunityId)));
    }

    [Fact]
    public async Task Lists_are_paged_in_name_order_and_filtered_by_district()
    {
        var district = UniqueDistrict();
        var other = UniqueDistrict();
        var communities = Enumerable.Range(1, 5).Select(i => NewCommunity(district, $"社区{6 - i}")).ToList();
        var elsewhere = NewCommunity(other, "别处社区");
        foreach (var c in communities.Append(elsewhere))
        {
            await PublishAsync(c, NewId.NextGuid());
        }
        var query = $"?district={Uri.EscapeDataString(district)}";
        await Eventually.Until(ct => ListAsync(query, ct), p => p.Total == 5, "five communities in the local copy");
        await WaitForAsync(elsewhere.CommunityId, elsewhere.Name);

        var first = await ListAsync($"{query}&page=1&pageSize=2", CancellationToken.None);
        var third = await ListAsync($"{query}&page=3&pageSize=2", CancellationToken.None);
        var beyond = await ListAsync($"{query}&page=4&pageSize=2", CancellationToken.None);
        var otherDistrict = await ListAsync($"?district={Uri.EscapeDataString(other)}", CancellationToken.None);

        Assert.Equal(["社区1", "社区2"], first.Items.Select(c => c.Name));
        Assert.Equal((1, 2, 5L), (first.PageNumber, first.PageSize, first.Total));
        Assert.Equal(["社区5"], third.Items.Select(c => c.Name));
        Assert.Equal(3, third.PageNumber);
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
        Assert.All(first.Items.Concat(third.Items), c => Assert.Equal(district, c.District));
        Assert.Equal(elsewhere.CommunityId, Assert.Single(otherDistrict.Items).Id);
        var all = await ListAsync("?pageSize=200", CancellationToken.None);
        Assert.True(all.Total >= 6);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=ten", "pageSize")]
    public async Task Bad_paging_is_a_problem_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetAsync(new Uri($"/communities?{query}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    private static string UniqueDistrict() => $"区{Guid.NewGuid():N}"[..20];

    private static CommunityRegistered NewCommunity(string district, string name) => new(
        NewId.NextGuid(), name, district, "解放道街道", 39.5186, 116.6946,
        new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero));

    private static void AssertSame(CommunityRegistered expected, CommunityView actual)
    {
        Assert.Equal(expected.CommunityId, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.District, actual.District);
        Assert.Equal(expected.Street, actual.Street);
        Assert.Equal(expected.Latitude, actual.Latitude);
        Assert.Equal(expected.Longitude, actual.Longitude);
    }

    private async Task PublishAsync(CommunityRegistered message, Guid messageId)
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        using var timeout = new CancellationTokenSource(ServiceFactory<TProgram>.BusTimeout);
        await bus.Publish(message, context => context.MessageId = messageId, timeout.Token);
    }

    private async Task PublishAsync(CommunityUpdated message)
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        using var timeout = new CancellationTokenSource(ServiceFactory<TProgram>.BusTimeout);
        await bus.Publish(message, timeout.Token);
    }

    private async Task<Page<CommunityView>> ListAsync(string query, CancellationToken cancellationToken)
    {
        using var response = await Client.GetAsync(new Uri($"/communities{query}", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The platform's strict JSON: a field the test does not expect fails the read.
        return (await response.Content.ReadFromJsonAsync<Page<CommunityView>>(PlatformJson.Options, cancellationToken))!;
    }

    private async Task<CommunityView> GetAsync(Guid id)
    {
        using var response = await Client.GetAsync(new Uri($"/communities/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CommunityView>(PlatformJson.Options))!;
    }

    /// <summary>Waits until the copy has the community under that name.</summary>
    private async Task<CommunityView> WaitForAsync(Guid id, string name) => (await Eventually.Until(
        async ct =>
        {
            using var response = await Client.GetAsync(new Uri($"/communities/{id}", UriKind.Relative), ct);
            return response.StatusCode == HttpStatusCode.OK
                ? await response.Content.ReadFromJsonAsync<CommunityView>(PlatformJson.Options, ct)
                : null;
        },
        view => view?.Name == name,
        $"community {id} named '{name}' in the local copy"))!;

    /// <summary>Counts the duplicates the inbox skipped in this service instance (the platform.inbox.duplicates metric).</summary>
    private sealed class DuplicateCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public DuplicateCounter(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.MeterName
                    && instrument.Name == "platform.inbox.duplicates"
                    && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "consumer", Value: ConsumerName })
                    {
                        Interlocked.Add(ref _count, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
