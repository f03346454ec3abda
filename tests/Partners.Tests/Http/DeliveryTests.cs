using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

public sealed class DeliveryTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    private const string HazardReportedType = PublicEventCatalogue.TypePrefix + "hazard.reported.v1";

    [Fact]
    public async Task A_matching_event_arrives_as_a_signed_cloud_event_and_others_do_not()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);

        var wanted = Events.Hazard(District);
        await PublishAsync(Events.Hazard("别的区"));
        await PublishAsync(wanted);

        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n >= 1, "the hazard delivered");
        var webhook = Assert.Single(receiver.Received);
        Assert.True(webhook.Verified, "The StandardWebhooks library rejected the signature.");
        Assert.StartsWith("v1,", webhook.Signature, StringComparison.Ordinal);
        Assert.Equal(CloudEvent.ContentType, webhook.ContentType.Split(';')[0]);
        using var cloudEvent = JsonDocument.Parse(webhook.Body);
        var root = cloudEvent.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal(HazardReportedType, root.GetProperty("type").GetString());
        Assert.Equal("/platform/volunteers", root.GetProperty("source").GetString());
        Assert.Equal(wanted.ReportId.ToString(), root.GetProperty("subject").GetString());
        Assert.Equal(wanted.ReportId, root.GetProperty("data").GetProperty("reportId").GetGuid());
        Assert.Equal(District, root.GetProperty("data").GetProperty("district").GetString());

        var log = await Until(() => GetJsonAsync(agency, "/deliveries"), l => l.GetProperty("items")[0].GetProperty("status").GetString() == "delivered", "the log says delivered");
        var entry = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal(webhook.Id, entry.GetProperty("webhookId").GetString());
        Assert.Equal(200, entry.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_every_event_once_in_effect()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        // Down for its first 25 requests (503), then up.
        receiver.Answer = n => n < 25 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;

        const int events = 20;
        for (var i = 0; i < events; i++)
        {
            await PublishAsync(Events.Hazard(District));
        }

        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == events, "every event taken in", TimeSpan.FromSeconds(60));
        Assert.True(receiver.Received.Count > events, "The receiver was down, so some deliveries must have been tried more than once.");
        Assert.All(receiver.Received, w => Assert.True(w.Verified));
        // Retries keep the webhook id: the receiver saw exactly as many distinct ids as events.
        Assert.Equal(events, receiver.Received.Select(w => w.Id).Distinct().Count());
        // The service records each answer just after the receiver has sent it: the log catches up within moments.
        await Until(() => GetJsonAsync(agency, "/deliveries?status=delivered&pageSize=50"), l => l.GetProperty("total").GetInt32() == events,
            "every delivery logged as delivered");
    }

    [Fact]
    public async Task Gone_disables_the_subscription_and_later_events_are_not_sent()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        var subscription = await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        receiver.Answer = _ => HttpStatusCode.Gone;

        await PublishAsync(Events.Hazard(District));
        var state = await Until(() => GetJsonAsync(agency, $"/subscriptions/{subscription}"),
            s => s.GetProperty("status").GetString() == "disabled", "the subscription disabled");
        Assert.Contains("410", state.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);

        await PublishAsync(Events.Hazard(District));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(receiver.Received);
        var log = await GetJsonAsync(agency, "/deliveries");
        Assert.Equal(1, log.GetProperty("total").GetInt32());
        Assert.Equal("cancelled", log.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task After_the_last_attempt_a_delivery_is_dead_lettered_the_subscription_flagged_and_a_replay_delivers_it()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        var subscription = await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        receiver.Answer = _ => HttpStatusCode.InternalServerError;

        await PublishAsync(Events.Hazard(District));
        var log = await Until(() => GetJsonAsync(agency, "/deliveries"),
            l => l.GetProperty("items").GetArrayLength() == 1 && l.GetProperty("items")[0].GetProperty("status").GetString() == "dead-lettered",
            "the delivery dead-lettered");
        var delivery = log.GetProperty("items")[0];
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(500, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.True((await GetJsonAsync(agency, $"/subscriptions/{subscription}")).GetProperty("needsAttention").GetBoolean());
        var detail = await GetJsonAsync(agency, $"/deliveries/{delivery.GetProperty("id").GetGuid()}");
        Assert.Equal(4, detail.GetProperty("attempts").GetArrayLength());

        receiver.Answer = _ => HttpStatusCode.OK;
        var replay = await agency.PostAsync($"/deliveries/{delivery.GetProperty("id").GetGuid()}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 1, "the replayed delivery taken in");
        Assert.Equal(delivery.GetProperty("webhookId").GetString(), receiver.Received[^1].Id);
    }

    [Fact]
    public async Task A_time_range_can_be_replayed()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync(Events.Hazard(District));
        }
        await Until(() => Task.FromResult(receiver.Received.Count), n => n == 3, "three delivered");
        // The agency has them before the service has recorded them as delivered; only recorded ones are replayed.
        await Until(() => GetJsonAsync(agency, "/deliveries?status=delivered"), l => l.GetProperty("items").GetArrayLength() == 3,
            "three deliveries recorded as delivered");

        var response = await agency.PostAsJsonAsync("/deliveries/replay", new { from, to = DateTimeOffset.UtcNow.AddMinutes(1) });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("replayed").GetInt32());
        await Until(() => Task.FromResult(receiver.Received.Count), n => n == 6, "three delivered again");
        Assert.Equal(3, receiver.Received.Select(w => w.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_slow_agency_does_not_hold_up_another()
    {
        var slow = await StartReceiverAsync();
        var quick = await StartReceiverAsync();
        slow.Delay = TimeSpan.FromSeconds(4);
        using var slowAgency = await RegisterAgencyAsync(maxConcurrentDeliveries: 2);
        using var quickAgency = await RegisterAgencyAsync();
        await SubscribeAsync(slowAgency, slow, [HazardReportedType], districts: [District]);
        await SubscribeAsync(quickAgency, quick, [HazardReportedType], districts: [District]);

        for (var i = 0; i < 10; i++)
        {
            await PublishAsync(Events.Hazard(District));
        }

        await Until(() => Task.FromResult(quick.AcceptedCount), n => n == 10, "the quick agency served", TimeSpan.FromSeconds(15));
        // The slow agency has at most its two slots busy at any time, so most of its deliveries are still waiting.
        Assert.True(slow.Received.Count <= 4, $"The slow agency got {slow.Received.Count} requests while the quick one was served.");
        await Until(() => Task.FromResult(slow.AcceptedCount), n => n == 10, "the slow agency served in the end", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task During_a_secret_rotation_both_the_old_and_the_new_secret_verify()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        var subscription = await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        var oldSecret = receiver.Secrets[0];

        var rotation = await agency.PostAsJsonAsync($"/subscriptions/{subscription}/secret/rotate", new { overlapHours = 2 });
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);

        receiver.Secrets = [oldSecret];
        await PublishAsync(Events.Hazard(District));
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 1, "verified with the old secret");
        receiver.Secrets = [newSecret];
        await PublishAsync(Events.Hazard(District));
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 2, "verified with the new secret");
        Assert.Equal(2, receiver.Received[^1].Signature.Split(' ').Length);
    }

    [Fact]
    public async Task A_station_closure_reaches_the_district_s_subscribers_though_the_event_names_only_the_station()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [PublicEventCatalogue.TypePrefix + "station.closed.v1", PublicEventCatalogue.TypePrefix + "station.supplies-running-low.v1"],
            districts: [District], categories: ["first-aid-kit"]);
        var station = Guid.NewGuid();
        await PublishAsync(Events.Station(station, District));
        await PublishAsync(Events.LowSupplies(District, "masks"));
        await PublishAsync(Events.LowSupplies(District, "first-aid-kit"));
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 1, "the first-aid kits delivered");
        await PublishAsync(new StationClosed(station, DateTimeOffset.UtcNow));

        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 2, "the closure delivered");
        Assert.Contains(receiver.Received, w => w.Body.Contains("station.closed.v1", StringComparison.Ordinal));
        Assert.DoesNotContain(receiver.Received, w => w.Body.Contains("\"masks\"", StringComparison.Ordinal));
    }
}
