extern alias gateway;
extern alias organizations;
extern alias stations;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Benchmarks;

public sealed record GatewayBenchmarkSettings
{
    public int Connections { get; init; } = 16;
    /// <summary>Long enough for tiered JIT to settle on 2 busy cores; steady state is what a city's server runs in.</summary>
    public int WarmupSeconds { get; init; } = 20;
    /// <summary>Each side is measured in <see cref="Rounds"/> alternating slices of this length, so drift in the
    /// machine's other load falls on both sides alike.</summary>
    public int SliceSeconds { get; init; } = 5;
    public int Rounds { get; init; } = 3;
    /// <summary>Stations opened for the station-search case (the real city has 241; this is a large city's network).</summary>
    public int Stations { get; init; } = 5_000;
}

/// <summary>
/// Gateway overhead: the same authenticated request straight to a service and through the real gateway (its
/// Program and YARP config, token validation, rate limiter with limits lifted, headers, request id), at the same
/// offered load (the same number of connections, each sending its next request when the last answered). Three
/// endpoints: the stations service's anonymous nearby search (its in-memory index), organizations'
/// <c>GET /communities/{id}</c> (a real PostgreSQL read) and a trivial authenticated one.
/// Everything runs in this process (as the tests do), so CPU per request covers service, gateway and driver alike;
/// the difference between the two sides is the gateway's.
/// </summary>
public static class GatewayBenchmark
{
    public static async Task<int> RunAsync(GatewayBenchmarkSettings settings)
    {
        Log($"machine: {Machine.Describe()}");
        Log($"settings: {settings}; load average now {File.ReadAllText("/proc/loadavg").Trim()}");
        // The in-process hosts read their appsettings.json (the gateway's routes) from their project folders.
        var root = Repository.Root;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ORGANIZATIONS", Path.Combine(root, "src", "Services", "Organizations"));
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GATEWAY", Path.Combine(root, "src", "Gateway"));
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_STATIONS", Path.Combine(root, "src", "Services", "Stations"));
        var infrastructure = new LocalInfrastructure();
        try
        {
            Log("starting PostgreSQL and RabbitMQ (LocalInfrastructure)");
            await infrastructure.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await using var organizations = new ServiceFactory<organizations::Program>(infrastructure, "organizations");
            await organizations.StartAsync();
            await using var stationsService = new ServiceFactory<stations::Program>(infrastructure, "stations", new Dictionary<string, string>
            {
                [stations::Platform.Stations.Domain.CheckInKey.Setting] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            });
            await stationsService.StartAsync();
            await using var trivial = await TrivialService.StartAsync();
            await using var gatewayHost = new BenchGateway(organizations.BaseAddress, stationsService.BaseAddress, trivial.Address);
            var gatewayAddress = gatewayHost.Start();

            var token = TestTokens.For(PlatformRoles.OrgOfficer);
            using var setup = organizations.CreateHttpClient(token);
            var created = await setup.PostAsJsonAsync("/communities", new
            {
                name = "银河北路社区", district = "广阳区", street = "银河北路街道", latitude = 39.5186, longitude = 116.6946,
            });
            created.EnsureSuccessStatusCode();
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            using (var officer = stationsService.CreateHttpClient(TestTokens.For(PlatformRoles.OrgOfficer)))
            {
                await StationNetwork.OpenAsync(officer, stationsService.DatabaseConnectionString, settings.Stations);
            }
            const string nearby = StationNetwork.NearbyQuery;

            var cases = new (string Name, Uri Direct, Uri Gateway)[]
            {
                ($"anonymous station search GET /stations/nearby ({settings.Stations:N0} stations, 2 km, charging, open now)",
                    new Uri(stationsService.BaseAddress, $"/stations/nearby?{nearby}"), new Uri(gatewayAddress, $"/api/stations/stations/nearby?{nearby}")),
                ("database read GET /communities/{id}", new Uri(organizations.BaseAddress, $"/communities/{id}"), new Uri(gatewayAddress, $"/api/organizations/communities/{id}")),
                ("trivial authenticated GET /ping", new Uri(trivial.Address, "/ping"), new Uri(gatewayAddress, "/api/bench/ping")),
                // Attribution: how much of the gateway's share is its own token check and rate limiter.
                ("trivial GET /ping, gateway without its token check and rate limiter (attribution only)",
                    new Uri(trivial.Address, "/ping"), new Uri(gatewayAddress, "/api/bench-unchecked/ping")),
            };
            foreach (var (name, direct, through) in cases)
            {
                Log($"{name}: {settings.Connections} connections, {settings.Rounds} x {settings.SliceSeconds} s per side, alternating");
                var result = await CompareAsync(settings, direct, through, token);
                Log($"  direct : {result.Direct}");
                Log($"  gateway: {result.Gateway}");
                Log($"  ratio {result.Gateway.RequestsPerSecond / result.Direct.RequestsPerSecond:0.00} of direct throughput; " +
                    $"p50 +{result.Gateway.P50 - result.Direct.P50:0.000} ms, p99 +{result.Gateway.P99 - result.Direct.P99:0.000} ms; " +
                    $"gateway CPU {(result.Gateway.CpuMicrosecondsPerRequest - result.Direct.CpuMicrosecondsPerRequest):0} us per request");
            }
            Log($"load average after {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            await infrastructure.DisposeAsync();
        }
    }

    private static async Task<(Side Direct, Side Gateway)> CompareAsync(GatewayBenchmarkSettings settings, Uri direct, Uri through, string token)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await LoadAsync(client, direct, settings.Connections, TimeSpan.FromSeconds(settings.WarmupSeconds));
        await LoadAsync(client, through, settings.Connections, TimeSpan.FromSeconds(settings.WarmupSeconds));
        var directSlices = new List<Slice>();
        var gatewaySlices = new List<Slice>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            directSlices.Add(await LoadAsync(client, direct, settings.Connections, TimeSpan.FromSeconds(settings.SliceSeconds)));
            gatewaySlices.Add(await LoadAsync(client, through, settings.Connections, TimeSpan.FromSeconds(settings.SliceSeconds)));
        }
        return (Side.Of(directSlices), Side.Of(gatewaySlices));
    }

    private static async Task<Slice> LoadAsync(HttpClient client, Uri target, int connections, TimeSpan duration)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(100_000);
            var failures = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(target, HttpCompletionOption.ResponseContentRead);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures++;
                }
            }
            return (latencies, failures);
        })).ToList();
        var done = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var all = done.SelectMany(d => d.latencies).ToArray();
        var failed = done.Sum(d => d.failures);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {all.Length} requests to {target} did not answer 200.");
        }
        return new Slice(all, seconds, cpu);
    }


    private static void Log(string message) => MessagingBenchmark.Log(message);

    private sealed record Slice(double[] Latencies, double Seconds, double CpuMicroseconds);

    private sealed record Side(double RequestsPerSecond, double P50, double P99, double CpuMicrosecondsPerRequest, long Requests)
    {
        public static Side Of(List<Slice> slices)
        {
            var latencies = slices.SelectMany(s => s.Latencies).Order().ToArray();
            var seconds = slices.Sum(s => s.Seconds);
            return new Side(latencies.Length / seconds, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99),
                slices.Sum(s => s.CpuMicroseconds) / latencies.Length, latencies.Length);
        }

        public override string ToString() =>
            $"{RequestsPerSecond,8:N0} req/s, p50 {P50:0.000} ms, p99 {P99:0.000} ms, CPU {CpuMicrosecondsPerRequest:0} us/request (all in process), {Requests:N0} requests";
    }

    /// <summary>
    /// A service with one authenticated endpoint that does nothing: the kit's token validation and pipeline, no work,
    /// so the gateway's share is as large as it can be.
    /// </summary>
    private sealed class TrivialService : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TrivialService(WebApplication app) => _app = app;

        public Uri Address => new(_app.Urls.Single());

        public static async Task<TrivialService> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Configuration["Platform:Auth:Issuer"] = TestTokens.Issuer;
            builder.AddServiceDefaults();
            TestTokens.TrustIn(builder.Services);
            var app = builder.Build();
            app.UseServiceDefaults();
            app.MapDefaultEndpoints();
            app.MapGet("/ping", () => TypedResults.Ok(new { pong = true })).RequireAuthorization();
            await app.StartAsync();
            return new TrivialService(app);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The real gateway with its appsettings, plus a route to the trivial service, rate limits lifted.</summary>
    private sealed class BenchGateway(Uri organizations, Uri stations, Uri trivial) : WebApplicationFactory<gateway::Program>
    {
        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Platform:Auth:Issuer", TestTokens.Issuer);
            builder.ConfigureTestServices(TestTokens.TrustIn);
            foreach (var policy in new[] { "per-client", "anonymous-read", "public-write", "sign-in", "one-time-code" })
            {
                builder.UseSetting($"Platform:RateLimits:{policy}:PermitLimit", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            builder.UseSetting("services:organizations:http:0", organizations.ToString().TrimEnd('/'));
            builder.UseSetting("services:bench:http:0", trivial.ToString().TrimEnd('/'));
            builder.UseSetting("services:stations:http:0", stations.ToString().TrimEnd('/'));
            foreach (var other in new[] { "volunteers", "training", "rights", "identity", "partners" })
            {
                // Not part of the run; a closed local port keeps their health probes off DNS.
                builder.UseSetting($"services:{other}:http:0", "http://127.0.0.1:9");
                builder.UseSetting($"ReverseProxy:Clusters:{other}:HealthCheck:Active:Enabled", "false");
            }
            // The trivial service behind a route configured like every service's route.
            builder.UseSetting("ReverseProxy:Routes:bench:ClusterId", "bench");
            builder.UseSetting("ReverseProxy:Routes:bench:Match:Path", "/api/bench/{**catch-all}");
            builder.UseSetting("ReverseProxy:Routes:bench:Transforms:0:PathRemovePrefix", "/api/bench");
            builder.UseSetting("ReverseProxy:Routes:bench:Transforms:1:X-Forwarded", "Set");
            builder.UseSetting("ReverseProxy:Routes:bench:Transforms:1:Prefix", "Off");
            builder.UseSetting("ReverseProxy:Routes:bench:Transforms:2:RequestHeader", "X-Forwarded-Prefix");
            builder.UseSetting("ReverseProxy:Routes:bench:Transforms:2:Set", "/api/bench");
            builder.UseSetting("ReverseProxy:Routes:bench:Timeout", "00:00:30");
            builder.UseSetting("ReverseProxy:Routes:bench:AuthorizationPolicy", "default");
            builder.UseSetting("ReverseProxy:Routes:bench:RateLimiterPolicy", "per-client");
            builder.UseSetting("ReverseProxy:Clusters:bench:Destinations:primary:Address", "http://bench");
            // For attribution only: the same route without token validation or rate limiting at the gateway.
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:ClusterId", "bench");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Match:Path", "/api/bench-unchecked/{**catch-all}");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Transforms:0:PathRemovePrefix", "/api/bench-unchecked");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Transforms:1:X-Forwarded", "Set");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Transforms:1:Prefix", "Off");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Transforms:2:RequestHeader", "X-Forwarded-Prefix");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Transforms:2:Set", "/api/bench");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:Timeout", "00:00:30");
            builder.UseSetting("ReverseProxy:Routes:bench-unchecked:AuthorizationPolicy", "anonymous");
        }
    }
}
