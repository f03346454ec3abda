using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Organizations.Apis;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>
/// The volunteers service publishes a new worker's registration and report-in moments apart, so both consumers meet
/// the same unknown worker at once: each worker must be placed, and neither consumer may trip over the other
/// (a duplicate worker row fails a batch, logs, and is retried).
/// </summary>
public sealed class WorkerEventRaceTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private static readonly DateTimeOffset RegisteredAt = new(2022, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly CapturedLogs _logs = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    [Fact]
    public async Task Both_events_of_many_new_workers_at_once_place_every_worker_without_a_failure_or_retry()
    {
        const int workers = 60;
        var community = await RegisterCommunityAsync(ValidCommunity());
        var local = await EstablishAsync("general-branch", localCommunityId: community.Id, name: "社区党总支");
        var depot = await RegisterEnterpriseAsync(ValidEnterprise());
        var ids = Enumerable.Range(0, workers).Select(_ => Guid.NewGuid()).ToList();
        var before = _logs.Lines.Count;

        var bus = Service.Services.GetRequiredService<IBus>();
        using var timeout = new CancellationTokenSource(ServiceFactory<Program>.BusTimeout);
        await Task.WhenAll(ids.SelectMany(id => new[]
        {
            bus.Publish(new WorkerRegistered(id, "courier", depot.Id, true, "广阳区", RegisteredAt), timeout.Token),
            bus.Publish(new WorkerReportedToCommunity(id, community.Id, RegisteredAt.AddDays(1)), timeout.Token),
        }));

        await Eventually.Until(
            _ => Service.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE \"Consumer\" IN ('worker-registered', 'worker-reported-to-community')"),
            n => n == 2 * workers,
            "both events of every worker handled",
            TimeSpan.FromSeconds(60));
        var members = await GetOkAsync<Page<MemberResponse>>("/members?pageSize=200");
        Assert.Equal(workers, members.Total);
        Assert.Equal(ids.Order(), members.Items.Select(m => m.WorkerId).Order());
        Assert.All(members.Items, m => Assert.Equal((local.Id, true, PlacementReason.Fallback), (m.OrganizationId, m.Fallback, m.Reason)));
        // No batch failed over a duplicate worker row and no message went through a retry or to the _error queue.
        var trouble = _logs.Lines.Skip(before)
            .Where(l => (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
                        && (l.Contains("Platform.Organizations", StringComparison.Ordinal) || l.Contains("MassTransit", StringComparison.Ordinal)))
            .ToList();
        Assert.True(trouble.Count == 0, string.Join(Environment.NewLine, trouble.Take(5)));
    }
}
