using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// Faults of the running platform while community registrations stream through the gateway: the broker is restarted
/// (the dashboard's stop and start, as an operator or an upgrade does) and a consuming service is killed (SIGKILL, as a
/// crashed or evicted process) and started again. No registration is refused or lost for it: afterwards every
/// consuming service holds every community, each event applied exactly once, and while the service was down the
/// gateway answered its requests at once with a 503 problem.
/// </summary>
[Collection(StressPlatformCollection.Name)]
public sealed class FaultTests(StressPlatformFixture platform, ITestOutputHelper output)
{
    private const string Broker = "rabbitmq";
    private const string Killed = "stations";
    private const int Writers = 4;
    /// <summary>Each writer's pace, 20 registrations a second in all: the amount depends on the time the faults take, not on the machine's speed.</summary>
    private static readonly TimeSpan WriterInterval = TimeSpan.FromMilliseconds(200);
    /// <summary>Registrations accepted before the first fault, during each fault and after the last.</summary>
    private const int PerPhase = 40;
    private const int ProbesWhileDown = 20;
    private static readonly string[] Consumers = ["stations", "volunteers", "training", "rights"];
    private static readonly TimeSpan ResourceTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Registrations_survive_a_broker_restart_and_a_killed_consumer_and_every_consumer_applies_each_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = timeout.Token;
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        // Counted from a quiet platform, so that what the consumers apply from here on is this test's registrations alone.
        await WaitUntilQuietAsync(ct);
        var inboxBefore = await InboxEntriesAsync(ct);

        var district = $"故障区{Guid.NewGuid():N}"[..20];
        using var stream = new RegistrationStream(platform.Operator, "/api/organizations/communities", district, Writers, WriterInterval);
        var clock = Stopwatch.StartNew();
        try
        {
            await stream.AcceptedAsync(PerPhase, ct);

            // The broker goes away: registrations are still accepted (they wait in organizations' outbox).
            var brokerStopped = clock.Elapsed;
            var acceptedWithoutBroker = stream.Accepted;
            await RunCommandAsync(commands, Broker, KnownResourceCommands.StopCommand, ct);
            await WaitForStateAsync(Broker, s => KnownResourceStates.TerminalStates.Contains(s.State?.Text ?? ""), "stopped", ct);
            await stream.AcceptedAsync(stream.Accepted + PerPhase, ct);
            await RunCommandAsync(commands, Broker, KnownResourceCommands.StartCommand, ct);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(Broker, ct);
            var brokerDown = clock.Elapsed - brokerStopped;
            acceptedWithoutBroker = stream.Accepted - acceptedWithoutBroker;

            // A consumer dies without a chance to finish what it was doing.
            var pid = ProcessId(await WaitForStateAsync(Killed, s => s.State?.Text == KnownResourceStates.Running && ProcessId(s) is not null, "running", ct));
            var killedAt = clock.Elapsed;
            using (var process = Process.GetProcessById(pid!.Value))
            {
                process.Kill();
                await process.WaitForExitAsync(ct);
            }
            var acceptedWhileKilled = stream.Accepted;
            var probes = await ProbeWhileDownAsync(district, ct);
            await stream.AcceptedAsync(stream.Accepted + PerPhase, ct);
            await WaitForStateAsync(Killed, s => KnownResourceStates.TerminalStates.Contains(s.State?.Text ?? ""), "exited", ct);
            await RunCommandAsync(commands, Killed, KnownResourceCommands.StartCommand, ct);
            await WaitForStateAsync(Killed, s => ProcessId(s) is { } started && started != pid && s.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
                "running again and healthy", ct);
            var killedDown = clock.Elapsed - killedAt;
            acceptedWhileKilled = stream.Accepted - acceptedWhileKilled;

            await stream.AcceptedAsync(stream.Accepted + PerPhase, ct);
            var answers = await stream.StopAsync();
            var streamStopped = clock.Elapsed;

            var refused = answers.Where(a => a.Status != (int)HttpStatusCode.Created).ToList();
            Assert.True(refused.Count == 0, $"Registrations refused: {string.Join("; ", refused.Take(20))}");
            var registered = answers.Select(a => a.Id!.Value).ToList();
            var converged = new List<string>();
            foreach (var service in Consumers)
            {
                HashSet<Guid> held;
                try
                {
                    held = await Eventually.Until(c => CommunityIdsAsync(service, district, c), ids => ids.Count >= registered.Count,
                        $"{registered.Count} communities listed by {service}", TimeSpan.FromMinutes(3));
                }
                catch (TimeoutException timedOut)
                {
                    // Say what is missing and where the service's community events stand at the broker.
                    var missing = registered.Except(await CommunityIdsAsync(service, district, ct)).ToList();
                    throw new TimeoutException($"{service} lacks {missing.Count} of {registered.Count} communities after 3 min " +
                                               $"(e.g. {string.Join(", ", missing.Take(5))}); its queues: {await QueueStatesAsync(service, ct)}", timedOut);
                }
                Assert.Equal(registered.Order(), held.Order());
                converged.Add($"{service} {(clock.Elapsed - streamStopped).TotalSeconds:F1} s");
            }
            // Exactly once: each consumer's inbox gained one entry per registration (a redelivered event is recognised
            // there and skipped; an event published twice under two ids would show as a second entry).
            var inboxAfter = await InboxEntriesAsync(ct);
            var gained = Consumers.ToDictionary(s => s, s => inboxAfter[s] - inboxBefore[s]);

            output.WriteLine($"{registered.Count} registrations by {Writers} writers in {streamStopped.TotalSeconds:F0} s, none refused; " +
                             $"broker down {brokerDown.TotalSeconds:F1} s ({acceptedWithoutBroker} accepted meanwhile); " +
                             $"{Killed} killed and back healthy after {killedDown.TotalSeconds:F1} s ({acceptedWhileKilled} accepted meanwhile); " +
                             $"{probes.Count} requests to {Killed} while down: {string.Join(", ", probes.GroupBy(p => p.Answer).Select(g => $"{g.Count()} {g.Key}"))}, " +
                             $"slowest {probes.Max(p => p.Took).TotalMilliseconds:F0} ms");
            output.WriteLine($"every community held by every consumer, this long after the last registration: {string.Join(", ", converged)}; " +
                             $"inbox entries gained: {string.Join(", ", gained.Select(g => $"{g.Key} {g.Value}"))}");
            Assert.All(probes, p => Assert.Equal("503 problem", p.Answer));
            Assert.All(Consumers, s => Assert.Equal(registered.Count, gained[s]));
        }
        finally
        {
            await stream.StopAsync();
            // Whatever failed, the platform is whole again for the collection's other tests.
            await RestoreAsync(commands);
        }
    }

    private sealed record Probe(string Answer, TimeSpan Took);

    /// <summary>Requests to the stopped service through the gateway: each answered (not held), as a 503 problem.</summary>
    private async Task<List<Probe>> ProbeWhileDownAsync(string district, CancellationToken ct)
    {
        var probes = new List<Probe>();
        for (var i = 0; i < ProbesWhileDown; i++)
        {
            var took = Stopwatch.StartNew();
            using var response = await platform.Operator.GetAsync(new Uri($"/api/{Killed}/communities?district={Uri.EscapeDataString(district)}", UriKind.Relative), ct);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            probes.Add(new Probe($"{(int)response.StatusCode}{(problem ? " problem" : "")}", took.Elapsed));
        }
        return probes;
    }

    private async Task<HashSet<Guid>> CommunityIdsAsync(string service, string district, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var body = await platform.Operator.GetFromJsonAsync<JsonElement>(
                new Uri($"/api/{service}/communities?district={Uri.EscapeDataString(district)}&page={page}&pageSize=200", UriKind.Relative), ct);
            var items = body.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetGuid());
            }
            if (items.GetArrayLength() < 200)
            {
                return ids;
            }
        }
    }

    /// <summary>No community event in flight: organizations' outbox empty and every community queue drained.</summary>
    private async Task WaitUntilQuietAsync(CancellationToken ct)
    {
        var organizations = await platform.App.GetConnectionStringAsync("organizations-db", ct);
        using var management = await ManagementAsync(ct);
        await Eventually.Until(async c =>
        {
            var outbox = await Sql.ScalarAsync<long>(organizations!, "SELECT count(*) FROM outbox_messages", c);
            var queues = await management.GetFromJsonAsync<JsonElement>(new Uri("/api/queues/%2F?columns=name,messages", UriKind.Relative), c);
            var inQueues = queues.EnumerateArray()
                .Where(q => q.GetProperty("name").GetString()!.Contains("-community-directory", StringComparison.Ordinal))
                .Sum(q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
            return outbox + inQueues;
        }, inFlight => inFlight == 0, "no community event in flight", ResourceTimeout);
    }

    /// <summary>RabbitMQ's management API as the platform's broker user.</summary>
    private async Task<HttpClient> ManagementAsync(CancellationToken ct)
    {
        var broker = new Uri((await platform.App.GetConnectionStringAsync(Broker, ct))!);
        var management = new HttpClient { BaseAddress = platform.App.GetEndpoint(Broker, "management"), Timeout = TimeSpan.FromSeconds(10) };
        management.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(broker.UserInfo))));
        return management;
    }

    /// <summary>Ready and unacknowledged messages and consumers of a service's community queues, for a failure message.</summary>
    private async Task<string> QueueStatesAsync(string service, CancellationToken ct)
    {
        using var management = await ManagementAsync(ct);
        var queues = await management.GetFromJsonAsync<JsonElement>(
            new Uri("/api/queues/%2F?columns=name,messages_ready,messages_unacknowledged,consumers", UriKind.Relative), ct);
        return string.Join("; ", queues.EnumerateArray()
            .Where(q => q.GetProperty("name").GetString()!.StartsWith($"{service}-community-directory", StringComparison.Ordinal))
            .Select(q => q.ToString()));
    }

    private async Task<Dictionary<string, long>> InboxEntriesAsync(CancellationToken ct)
    {
        var counts = new Dictionary<string, long>();
        foreach (var service in Consumers)
        {
            var database = await platform.App.GetConnectionStringAsync($"{service}-db", ct);
            counts[service] = await Sql.ScalarAsync<long>(database!, "SELECT count(*) FROM inbox_messages WHERE \"Consumer\" = 'community-directory'", ct);
        }
        return counts;
    }

    private static async Task RunCommandAsync(ResourceCommandService commands, string resource, string command, CancellationToken ct)
    {
        var result = await commands.ExecuteCommandAsync(resource, command, ct);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    private async Task<CustomResourceSnapshot> WaitForStateAsync(string resource, Func<CustomResourceSnapshot, bool> state, string what, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResourceTimeout);
        try
        {
            return (await platform.App.ResourceNotifications.WaitForResourceAsync(resource, e => state(e.Snapshot), timeout.Token)).Snapshot;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{resource} not {what} within {ResourceTimeout.TotalSeconds} s.");
        }
    }

    private static int? ProcessId(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => null,
        };

    /// <summary>Starts the broker and the killed service again if the test left either down.</summary>
    private async Task RestoreAsync(ResourceCommandService commands)
    {
        using var timeout = new CancellationTokenSource(ResourceTimeout);
        foreach (var resource in new[] { Broker, Killed })
        {
            if (platform.App.ResourceNotifications.TryGetCurrentState(resource, out var current)
                && KnownResourceStates.TerminalStates.Contains(current.Snapshot.State?.Text ?? ""))
            {
                await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, timeout.Token);
            }
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
    }
}
