using System.Net;
using Platform.Partners.Application;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>The dashboard's webhook figures: every attempt by outcome, deliveries that arrived, and deliveries given up.</summary>
public sealed class WebhookMetricsTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    private const string HazardReportedType = PublicEventCatalogue.TypePrefix + "hazard.reported.v1";

    [Fact]
    public async Task A_delivery_that_arrives_on_its_second_attempt_counts_a_retry_and_one_delivery()
    {
        using var attempts = Service.Services.Collect<long>(PartnersTelemetry.MeterName, "platform.webhooks.attempts");
        using var deliveries = Service.Services.Collect<long>(PartnersTelemetry.MeterName, "platform.webhooks.deliveries");
        using var failures = Service.Services.Collect<long>(PartnersTelemetry.MeterName, "platform.webhooks.failures");
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        receiver.Answer = n => n == 0 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;

        await PublishAsync(Events.Hazard(District));

        Assert.Equal(1, Assert.Single(await deliveries.WaitForAsync()).Value);
        Assert.Equal(["delivered", "will-retry"], (await attempts.WaitForAsync(2)).Select(m => (string)m.Tags["outcome"]!).Order(StringComparer.Ordinal));
        Assert.Empty(failures.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_delivery_dead_lettered_after_its_last_attempt_counts_one_failure()
    {
        using var attempts = Service.Services.Collect<long>(PartnersTelemetry.MeterName, "platform.webhooks.attempts");
        using var failures = Service.Services.Collect<long>(PartnersTelemetry.MeterName, "platform.webhooks.failures");
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        receiver.Answer = _ => HttpStatusCode.InternalServerError;

        await PublishAsync(Events.Hazard(District));

        var failure = Assert.Single(await failures.WaitForAsync());
        Assert.Equal("dead-lettered", failure.Tags["outcome"]);
        // Four attempts (the first and three retries), the last one the dead letter.
        Assert.Equal(4, (await attempts.WaitForAsync(4)).Count);
    }
}
