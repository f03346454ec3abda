using System.Diagnostics;
using System.Net;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Gateway.Tests;

/// <summary>
/// Two instances of the stations service (each its own process, on one database) behind the real gateway: reads are
/// spread over both, and when one is killed in the middle of a stream of reads, no read fails: the gateway sends a
/// read that found the instance gone on to the other one and leaves the gone one out.
/// </summary>
public sealed class TwoInstancesBehindTheGatewayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Read = "/api/stations/stations/nearby?latitude=39.5186&longitude=116.6946";
    private const int ReadsBefore = 200;
    private const int ReadsAfter = 400;
    private readonly LocalInfrastructure _infrastructure = new();
    private FakeServices _services = null!;

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _services = await FakeServices.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _infrastructure.DisposeAsync();
    }

    [Fact]
    public async Task Reads_are_spread_over_both_instances_and_none_fails_when_one_is_killed()
    {
        var settings = ServiceProcess.Settings(_infrastructure, "stations", $"stations_{Guid.NewGuid():N}");
        // Each instance logs the requests it served: how the reads were spread.
        settings["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        var dll = ServiceProcess.Built("src/Services/Stations", "Stations.dll");
        using var killed = ServiceProcess.Start("stations-1", dll, ReservedPorts.Next(), settings);
        await killed.WaitUntilAsync("/health");
        using var survivor = ServiceProcess.Start("stations-2", dll, ReservedPorts.Next(), settings);
        await survivor.WaitUntilAsync("/health");
        await using var gateway = new GatewayFactory(_services, new Dictionary<string, string>
        {
            ["services:stations:http:0"] = killed.BaseAddress.ToString().TrimEnd('/'),
            ["services:stations:http:1"] = survivor.BaseAddress.ToString().TrimEnd('/'),
            ["Platform:RateLimits:anonymous-read:PermitLimit"] = "100000",
        });
        using var client = gateway.CreateSocketClient();

        var failures = new List<(int Read, HttpStatusCode Status, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ReadsBefore; i++)
        {
            await ReadAsync(client, i, failures, clock);
        }
        var (servedByKilled, servedBySurvivor) = (Served(killed), Served(survivor));
        killed.Kill();
        var killedAt = clock.Elapsed;
        for (var i = ReadsBefore; i < ReadsBefore + ReadsAfter; i++)
        {
            await ReadAsync(client, i, failures, clock);
        }

        output.WriteLine($"{ReadsBefore} reads with both up: {servedByKilled} served by the instance then killed, {servedBySurvivor} by the other; " +
                         $"{ReadsAfter} reads after the kill at {killedAt.TotalSeconds:F1} s, all answered by the survivor; " +
                         $"failed reads: {failures.Count}");
        Assert.Empty(failures);
        Assert.True(servedByKilled > 0 && servedBySurvivor > 0, $"Reads were not spread: {servedByKilled} and {servedBySurvivor}.");
    }

    private static async Task ReadAsync(HttpClient client, int read, List<(int, HttpStatusCode, TimeSpan)> failures, Stopwatch clock)
    {
        using var response = await client.GetAsync(Read);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            failures.Add((read, response.StatusCode, clock.Elapsed));
        }
    }

    /// <summary>The reads an instance logged as served.</summary>
    private static int Served(ServiceProcess instance) =>
        instance.Output.Split('\n').Count(l => l.Contains("Request finished", StringComparison.Ordinal) && l.Contains("/stations/nearby", StringComparison.Ordinal));
}
