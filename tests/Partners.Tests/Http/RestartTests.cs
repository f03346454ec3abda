using System.Net;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>Deliveries are rows in the database: a restart of the service (a deployment, a crash) loses none.</summary>
public sealed class RestartTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    private const string HazardReportedType = PublicEventCatalogue.TypePrefix + "hazard.reported.v1";

    /// <summary>Retries every two seconds for half a minute: longer than a restart takes.</summary>
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Platform:Partners:RetryDelays"] = string.Join(',', Enumerable.Repeat("00:00:02", 15)),
        ["Platform:Partners:PollInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task Pending_deliveries_survive_a_restart_of_the_service()
    {
        var receiver = await StartReceiverAsync();
        using (var agency = await RegisterAgencyAsync())
        {
            await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        }
        receiver.Answer = _ => HttpStatusCode.ServiceUnavailable;
        await PublishAsync(Events.Hazard(District));
        await PublishAsync(Events.Hazard(District));
        await Until(() => Task.FromResult(receiver.Received.Count), n => n >= 2, "both tried while the receiver is down");

        await RestartAsync();
        receiver.Answer = _ => HttpStatusCode.OK;

        try
        {
            await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 2, "both delivered after the restart", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            var state = await Service.ScalarAsync<string>("SELECT string_agg(\"Status\" || ' ' || \"Attempts\" || ' ' || coalesce(\"LeaseUntil\"::text,'-') || ' ' || \"NextAttemptAt\"::text || ' ' || coalesce(\"LastError\",''), ' | ') FROM deliveries");
            throw new TimeoutException($"{state}; received {receiver.Received.Count}, now {DateTimeOffset.UtcNow:O}");
        }
    }

}
