using Platform.Contracts;
using Platform.Partners.Domain;
using StandardWebhooks;

namespace Platform.Partners.Tests.Domain;

public sealed class CatalogueTests
{
    /// <summary>Events about individual people or cases: never offered to partners (rights cases only as counts).</summary>
    private static readonly Type[] NotPublic =
    [
        typeof(WorkerRegistered), typeof(WorkerReportedToCommunity), typeof(MemberPlaced), typeof(CourseCompleted),
        typeof(RightsCaseOpened), typeof(RightsCaseResolved),
    ];

    [Fact]
    public void Every_integration_event_is_either_offered_or_deliberately_withheld()
    {
        // A new contract must be decided on here, so that nothing personal slips into the catalogue unnoticed.
        var contracts = typeof(CommunityRegistered).Assembly.GetExportedTypes().Where(t => t.IsClass && t.Namespace == "Platform.Contracts");
        foreach (var contract in contracts)
        {
            var offered = PublicEventCatalogue.ConsumedContracts.Contains(contract);
            Assert.True(offered ^ NotPublic.Contains(contract), $"{contract.Name}: offered={offered}; add it to the catalogue or to the withheld list.");
        }
    }

    [Fact]
    public void Offered_events_carry_no_worker_or_case_ids()
    {
        foreach (var contract in PublicEventCatalogue.ConsumedContracts)
        {
            var fields = contract.GetProperties().Select(p => p.Name).ToList();
            Assert.DoesNotContain("WorkerId", fields);
            Assert.DoesNotContain("CaseId", fields);
            Assert.DoesNotContain("MemberId", fields);
        }
    }

    [Fact]
    public void A_signature_verifies_with_the_stock_library_and_fails_for_a_changed_body()
    {
        var secret = WebhookSignature.NewSecret();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = """{"specversion":"1.0","id":"1"}""";
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = "msg_1",
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign("msg_1", timestamp, body, [secret]),
        };
        var webhook = new StandardWebhook(secret);
        webhook.Verify(body, headers);
        Assert.ThrowsAny<Exception>(() => webhook.Verify(body.Replace("\"1\"", "\"2\"", StringComparison.Ordinal), headers));
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(WebhookSignature.NewSecret()).Verify(body, headers));
    }

    [Fact]
    public void During_a_rotation_either_secret_verifies_the_two_signatures()
    {
        var (oldSecret, newSecret) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = "{}";
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = "msg_2",
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign("msg_2", timestamp, body, [newSecret, oldSecret]),
        };
        Assert.True(Http.WebhookReceiver.Verifies(oldSecret, body, headers));
        Assert.True(Http.WebhookReceiver.Verifies(newSecret, body, headers));
        Assert.False(Http.WebhookReceiver.Verifies(WebhookSignature.NewSecret(), body, headers));
    }
}
