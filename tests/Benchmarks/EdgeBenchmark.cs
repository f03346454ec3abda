using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Benchmarks;

public sealed record EdgeBenchmarkSettings
{
    public int Connections { get; init; } = 16;
    /// <summary>Long enough for tiered JIT to settle on 2 busy cores; steady state is what a city's server runs in.</summary>
    public int WarmupSeconds { get; init; } = 20;
    public int SliceSeconds { get; init; } = 5;
    public int Rounds { get; init; } = 3;
    public int Stations { get; init; } = 5_000;
}

/// <summary>
/// The gateway as it runs in production: the stations service and the gateway each in their own process (their built
/// Release assemblies, Production environment), loaded by wrk, a load tool that is not .NET. The same requests go
/// straight to the service, through the gateway and through a bare YARP proxy (tests/BareProxy: one route, nothing
/// else), in alternating slices; the bare proxy shows what any proxy process costs on this machine. CPU per request is read from /proc for
/// each process, so the gateway's cost is its own process's, not an estimate.
/// </summary>
public static partial class EdgeBenchmark
{
    private const string Nearby = "/stations/nearby?" + StationNetwork.NearbyQuery;

    public static async Task<int> RunAsync(EdgeBenchmarkSettings settings)
    {
        Log($"machine: {Machine.Describe()}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Log($"settings: {settings}");
        var wrk = Wrk.Find();
        var stationsDll = ServiceProcess.Built("src/Services/Stations", "Stations.dll");
        var gatewayDll = ServiceProcess.Built("src/Gateway", "Gateway.dll");
        var bareProxyDll = ServiceProcess.Built("tests/BareProxy", "BareProxy.dll");
        var infrastructure = new LocalInfrastructure();
        await infrastructure.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await using var keys = await TestKeysServer.StartAsync();
        var stationsPort = ReservedPorts.Next();
        var gatewayPort = ReservedPorts.Next();
        var bareProxyPort = ReservedPorts.Next();
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Platform__Auth__Issuer"] = TestTokens.Issuer,
            ["Platform__Auth__KeysAddress"] = keys.Address,
        };
        ServiceProcess? stations = null;
        ServiceProcess? gateway = null;
        ServiceProcess? bareProxy = null;
        try
        {
            var stationsSettings = ServiceProcess.Settings(infrastructure, "stations", "stations_edge");
            stationsSettings["Platform__Auth__KeysAddress"] = keys.Address;
            stations = ServiceProcess.Start("stations", stationsDll, stationsPort, stationsSettings);
            var gatewaySettings = new Dictionary<string, string>(common)
            {
                ["services__stations__http__0"] = $"http://127.0.0.1:{stationsPort}",
            };
            foreach (var policy in new[] { "per-client", "anonymous-read", "public-write", "sign-in", "one-time-code" })
            {
                gatewaySettings[$"Platform__RateLimits__{policy}__PermitLimit"] = int.MaxValue.ToString(CultureInfo.InvariantCulture);
            }
            foreach (var other in new[] { "organizations", "volunteers", "training", "rights", "identity", "partners" })
            {
                // Not part of the run: a closed local port, and no health probes to it.
                gatewaySettings[$"services__{other}__http__0"] = "http://127.0.0.1:9";
                gatewaySettings[$"ReverseProxy__Clusters__{other}__HealthCheck__Active__Enabled"] = "false";
            }
            gateway = ServiceProcess.Start("gateway", gatewayDll, gatewayPort, gatewaySettings);
            bareProxy = ServiceProcess.Start("bare YARP", bareProxyDll, bareProxyPort, new Dictionary<string, string>(common)
            {
                ["services__stations__http__0"] = $"http://127.0.0.1:{stationsPort}",
            });
            await stations.WaitUntilAsync();
            await gateway.WaitUntilAsync();
            await bareProxy.WaitUntilAsync();
            Log("stations service, gateway and bare YARP alive (own processes, Production)");

            var direct = new Uri($"http://127.0.0.1:{stationsPort}");
            var through = new Uri($"http://127.0.0.1:{gatewayPort}/api/stations");
            var bare = new Uri($"http://127.0.0.1:{bareProxyPort}/api/stations");
            var officer = TestTokens.For(PlatformRoles.OrgOfficer);
            Guid stationId;
            using (var seeding = new HttpClient { BaseAddress = direct, Timeout = TimeSpan.FromSeconds(30) })
            {
                seeding.DefaultRequestHeaders.Authorization = new("Bearer", officer);
                await Eventually.Until(async ct => (await seeding.GetAsync("/communities", ct)).StatusCode, c => c == HttpStatusCode.OK,
                    "the stations service answering", TimeSpan.FromSeconds(30));
                stationId = await StationNetwork.OpenAsync(seeding, infrastructure.PostgresConnectionString("stations_edge"), settings.Stations);
            }
            await WaitThroughGatewayAsync(through, stationId);

            var cases = new (string Name, string Path, string? Token)[]
            {
                ($"anonymous nearby search GET {Nearby} ({settings.Stations:N0} stations)", Nearby, null),
                ("authenticated station read GET /stations/{id} (PostgreSQL)", $"/stations/{stationId}", officer),
            };
            foreach (var (name, path, token) in cases)
            {
                Log($"{name}: wrk, {settings.Connections} connections, {settings.Rounds} x {settings.SliceSeconds} s per side, alternating");
                var directUrl = new Uri(direct + path.TrimStart('/'));
                var gatewayUrl = new Uri(through + "/" + path.TrimStart('/'));
                var bareUrl = new Uri(bare + "/" + path.TrimStart('/'));
                foreach (var url in new[] { directUrl, gatewayUrl, bareUrl })
                {
                    await RunWrkAsync(wrk, url, token, settings.Connections, settings.WarmupSeconds);
                }
                var directSlices = new List<Slice>();
                var gatewaySlices = new List<Slice>();
                var bareSlices = new List<Slice>();
                for (var round = 0; round < settings.Rounds; round++)
                {
                    directSlices.Add(await MeasureAsync(wrk, directUrl, token, settings, stations, gateway));
                    gatewaySlices.Add(await MeasureAsync(wrk, gatewayUrl, token, settings, stations, gateway));
                    bareSlices.Add(await MeasureAsync(wrk, bareUrl, token, settings, stations, bareProxy));
                }
                var d = Slice.Combine(directSlices);
                var g = Slice.Combine(gatewaySlices);
                var b = Slice.Combine(bareSlices);
                Log($"  direct   : {d.RequestsPerSecond,8:N0} req/s, p50 {d.P50:0.00} ms, p99 {d.P99:0.00} ms; stations CPU {d.ServiceCpuUs:0} us/request");
                Log($"  gateway  : {g.RequestsPerSecond,8:N0} req/s, p50 {g.P50:0.00} ms, p99 {g.P99:0.00} ms; stations CPU {g.ServiceCpuUs:0} us/request, gateway CPU {g.GatewayCpuUs:0} us/request");
                Log($"  bare YARP: {b.RequestsPerSecond,8:N0} req/s, p50 {b.P50:0.00} ms, p99 {b.P99:0.00} ms; stations CPU {b.ServiceCpuUs:0} us/request, proxy CPU {b.GatewayCpuUs:0} us/request");
                Log($"  gateway  : ratio {g.RequestsPerSecond / d.RequestsPerSecond:0.00} of direct throughput; p50 +{g.P50 - d.P50:0.00} ms, p99 +{g.P99 - d.P99:0.00} ms");
                Log($"  bare YARP: ratio {b.RequestsPerSecond / d.RequestsPerSecond:0.00} of direct throughput; p50 +{b.P50 - d.P50:0.00} ms, p99 +{b.P99 - d.P99:0.00} ms (what any proxy process costs here)");
            }
            Log($"load average after {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            bareProxy?.Dispose();
            gateway?.Dispose();
            stations?.Dispose();
            await infrastructure.DisposeAsync();
        }
    }

    private static async Task WaitThroughGatewayAsync(Uri gateway, Guid stationId)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // The gateway's active health check must have found the service healthy before it forwards.
        await Eventually.Until(async ct => (await client.GetAsync(new Uri(gateway + Nearby), ct)).StatusCode, s => s == HttpStatusCode.OK,
            "the nearby search through the gateway", TimeSpan.FromSeconds(60));
        Log($"gateway forwards (station {stationId})");
    }

    /// <summary>One slice of wrk against <paramref name="url"/>, with the CPU the service and <paramref name="proxy"/> spent meanwhile.</summary>
    private static async Task<Slice> MeasureAsync(string wrk, Uri url, string? token, EdgeBenchmarkSettings settings, ServiceProcess stations, ServiceProcess proxy)
    {
        var (s0, g0) = (stations.CpuTicks(), proxy.CpuTicks());
        var result = await RunWrkAsync(wrk, url, token, settings.Connections, settings.SliceSeconds);
        var (s1, g1) = (stations.CpuTicks(), proxy.CpuTicks());
        return Slice.From(result, s1 - s0, g1 - g0);
    }

    private static Task<string> RunWrkAsync(string wrk, Uri url, string? token, int connections, int seconds) =>
        Wrk.RunAsync(wrk, connections, seconds, token is null ? [url.ToString()] : ["-H", $"Authorization: Bearer {token}", url.ToString()]);

    private static void Log(string message) => MessagingBenchmark.Log(message);

    private sealed record Slice(double Requests, double Seconds, double[] P50s, double[] P99s, double ServiceTicks, double GatewayTicks)
    {
        private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

        public double RequestsPerSecond => Requests / Seconds;
        public double P50 => P50s.Average();
        public double P99 => P99s.Max();
        public double ServiceCpuUs => ServiceTicks / TicksPerSecond * 1e6 / Requests;
        public double GatewayCpuUs => GatewayTicks / TicksPerSecond * 1e6 / Requests;

        public static Slice From(string wrk, double serviceTicks, double gatewayTicks)
        {
            var (requests, seconds) = Wrk.Summary(wrk);
            return new Slice(requests, seconds, [Wrk.PercentileMs(wrk, "50")], [Wrk.PercentileMs(wrk, "99")], serviceTicks, gatewayTicks);
        }

        public static Slice Combine(List<Slice> slices) => new(
            slices.Sum(s => s.Requests), slices.Sum(s => s.Seconds), [.. slices.SelectMany(s => s.P50s)], [.. slices.SelectMany(s => s.P99s)],
            slices.Sum(s => s.ServiceTicks), slices.Sum(s => s.GatewayTicks));
    }

}
