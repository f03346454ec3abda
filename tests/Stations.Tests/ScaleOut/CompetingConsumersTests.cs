using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Platform.Communities;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Stations.Tests.ScaleOut;

/// <summary>
/// Two instances of the stations service on one database and one broker share a burst of events: both consume from the
/// service's one queue (competing consumers), and every event is applied exactly once, by one of them.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class CompetingConsumersTests(LocalInfrastructure infrastructure, ITestOutputHelper output)
{
    private const int Events = 2_000;
    private const string Consumer = "community-directory";

    [Fact]
    public async Task A_burst_of_2000_events_is_applied_exactly_once_and_both_instances_take_part()
    {
        await using var first = new ServiceFactory<Program>(infrastructure, "stations");
        await first.StartWithBusAsync();
        await using var second = new ServiceFactory<Program>(infrastructure, "stations", restartOf: first);
        await second.StartWithBusAsync();
        using var appliedByFirst = first.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.inbox.applied");
        using var appliedBySecond = second.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.inbox.applied");
        var district = $"区{Guid.NewGuid():N}"[..20];
        var messageIds = new Guid[Events];

        // Published as organizations publishes them: to the event's exchange, which feeds the service's one queue.
        var bus = first.Services.GetRequiredService<IBus>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            for (var start = 0; start < Events; start += 100)
            {
                await Task.WhenAll(Enumerable.Range(start, 100).Select(i =>
                {
                    messageIds[i] = NewId.NextGuid();
                    var community = new CommunityRegistered(NewId.NextGuid(), $"社区{i}", district, "解放道街道", 39.5186, 116.6946, DateTimeOffset.UtcNow);
                    return bus.Publish(community, context => context.MessageId = messageIds[i], timeout.Token);
                }));
            }
        }

        using var client = first.CreateHttpClient(TestTokens.For(PlatformRoles.Worker));
        await Eventually.Until(async ct =>
            (await client.GetFromJsonAsync<Page<CommunityView>>($"/communities?district={Uri.EscapeDataString(district)}&pageSize=1", PlatformJson.Options, ct))!.Total,
            total => total == Events, $"{Events} communities in the copy", TimeSpan.FromMinutes(2));
        // The counters are added just after each commit, so they may trail the rows by a moment.
        await Eventually.Until(_ => Task.FromResult(Applied(appliedByFirst) + Applied(appliedBySecond)), total => total >= Events, "the applied counters");
        var byFirst = Applied(appliedByFirst);
        var bySecond = Applied(appliedBySecond);
        output.WriteLine($"{Events} events: first instance applied {byFirst} ({100.0 * byFirst / Events:F1} %), second {bySecond} ({100.0 * bySecond / Events:F1} %)");

        Assert.Equal(Events, byFirst + bySecond);
        Assert.True(byFirst > 0 && bySecond > 0, $"One instance applied every event: {byFirst} and {bySecond}.");
        Assert.Equal((long)Events, await first.ScalarAsync<long>(
            "SELECT count(*) FROM inbox_messages WHERE \"Consumer\" = @consumer AND \"MessageId\" = ANY(@ids)", ("consumer", Consumer), ("ids", messageIds)));
    }

    private static long Applied(MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["consumer"], Consumer)).Sum(m => m.Value);
}
