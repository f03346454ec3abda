using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Organizations.Tests.ScaleOut;

/// <summary>
/// Two instances of the organizations service on one database: both write events to the one outbox and both run a
/// dispatcher, and the second's clock is five seconds behind the first's (as another machine's may be). Every event
/// reaches the broker once, and a subscriber that orders a community's events by their time (as every copy does:
/// the broker keeps no order between two event types, nor within a round of the dispatcher) gets them in the order
/// they were committed, whichever instance committed them.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class OutboxDispatchersTests(LocalInfrastructure infrastructure, ITestOutputHelper output)
{
    private const int Communities = 60;
    private const int Corrections = 3;
    private const int RacingCorrections = 20;

    [Fact]
    public async Task Two_dispatchers_publish_each_event_once_and_a_community_s_events_in_commit_order()
    {
        await using var listener = await ExchangeListener.BindAsync(infrastructure,
            ExchangeListener.ExchangeOf<CommunityRegistered>(), ExchangeListener.ExchangeOf<CommunityUpdated>());
        await using var first = new ServiceFactory<Program>(infrastructure, "organizations");
        await first.StartWithBusAsync();
        var behind = new ShiftedClock(TimeSpan.FromSeconds(-5));
        await using var second = new ServiceFactory<Program>(infrastructure, "organizations", restartOf: first, configureServices: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(behind);
        });
        await second.StartWithBusAsync();
        using var publishedByFirst = first.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.outbox.published");
        using var publishedBySecond = second.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.outbox.published");
        using var toFirst = first.CreateHttpClient(TestTokens.For(PlatformRoles.OrgOfficer));
        using var toSecond = second.CreateHttpClient(TestTokens.For(PlatformRoles.OrgOfficer));
        HttpClient[] instances = [toFirst, toSecond];
        var district = $"区{Guid.NewGuid():N}"[..20];

        // Each community is registered and then corrected three times, each step on the other instance than the one
        // before; eight communities at a time, so the two instances' commits interleave in the outbox.
        var names = new Dictionary<Guid, string[]>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Communities), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var steps = new string[Corrections + 1];
            steps[0] = $"社区{i}";
            var id = (await SaveAsync(instances[i % 2], HttpMethod.Post, "/communities", Community(steps[0], district), HttpStatusCode.Created, ct)).Id;
            for (var step = 1; step <= Corrections; step++)
            {
                steps[step] = $"社区{i}更正{step}";
                await SaveAsync(instances[(i + step) % 2], HttpMethod.Put, $"/communities/{id}", Community(steps[step], district), HttpStatusCode.OK, ct);
            }
            lock (names)
            {
                names[id] = steps;
            }
        });
        // And one community corrected by both instances at once, twenty times: what the owner keeps is what copies keep.
        var raced = (await SaveAsync(toFirst, HttpMethod.Post, "/communities", Community("争抢社区", district), HttpStatusCode.Created, CancellationToken.None)).Id;
        await Task.WhenAll(Enumerable.Range(1, RacingCorrections).Select(i =>
            SaveAsync(instances[i % 2], HttpMethod.Put, $"/communities/{raced}", Community($"争抢社区{i}", district), HttpStatusCode.OK, CancellationToken.None)));
        var kept = (await toFirst.GetFromJsonAsync<CommunityResponse>($"/communities/{raced}", PlatformJson.Options))!.Name;

        // Once the outbox is empty, every event was confirmed by the broker, duplicates included; an event committed
        // after that is routed after all of them, so when it arrives nothing is still on its way.
        await Eventually.Until(_ => first.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"), pending => pending == 0, "an empty outbox");
        var marker = (await SaveAsync(instances[0], HttpMethod.Post, "/communities", Community("标记社区", district), HttpStatusCode.Created, CancellationToken.None)).Id;
        var received = new List<JsonElement>();
        while (true)
        {
            var envelope = await listener.NextAsync();
            if (CommunityOf(envelope) == marker)
            {
                break;
            }
            received.Add(envelope);
        }

        var ours = received.Where(e => names.ContainsKey(CommunityOf(e)) || CommunityOf(e) == raced).ToList();
        var messageIds = ours.Select(e => e.GetProperty("messageId").GetString()).ToList();
        Assert.Equal(Communities * (Corrections + 1) + 1 + RacingCorrections, messageIds.Count);
        Assert.Equal(messageIds.Count, messageIds.Distinct().Count());
        foreach (var (id, steps) in names)
        {
            var byTime = ours.Where(e => CommunityOf(e) == id).OrderBy(TimeOf).ToList();
            Assert.Equal(steps, byTime.Select(NameOf));
            Assert.Equal(byTime.Count, byTime.Select(TimeOf).Distinct().Count());
        }
        Assert.Equal(kept, NameOf(ours.Where(e => CommunityOf(e) == raced).MaxBy(TimeOf)));
        var byFirst = publishedByFirst.GetMeasurementSnapshot().Sum(m => m.Value);
        var bySecond = publishedBySecond.GetMeasurementSnapshot().Sum(m => m.Value);
        output.WriteLine($"{messageIds.Count} events, each received once and by their times in commit order; published by the first instance's dispatcher {byFirst}, by the second's {bySecond}");
    }

    private static Guid CommunityOf(JsonElement envelope) => envelope.GetProperty("message").GetProperty("communityId").GetGuid();

    private static string NameOf(JsonElement envelope) => envelope.GetProperty("message").GetProperty("name").GetString()!;

    /// <summary>When the event's details were true at the owner: registration or correction time.</summary>
    private static DateTimeOffset TimeOf(JsonElement envelope)
    {
        var message = envelope.GetProperty("message");
        return (message.TryGetProperty("updatedAt", out var updated) ? updated : message.GetProperty("registeredAt")).GetDateTimeOffset();
    }

    private static object Community(string name, string district) =>
        new { name, district, street = "银河北路街道", latitude = 39.5186, longitude = 116.6946 };

    private static async Task<CommunityResponse> SaveAsync(HttpClient client, HttpMethod method, string path, object body, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request, ct);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return (await response.Content.ReadFromJsonAsync<CommunityResponse>(PlatformJson.Options, ct))!;
    }
}
