extern alias democity;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using democity::Platform.DemoCity;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.Benchmarks;

/// <summary>
/// The platform started by its app host (as <c>./run.sh</c> does, from the Release build) on the demo city of one
/// scale, kept in <c>.data/benchmark-city-x{scale}</c>, with the gateway's rate limits lifted (the benchmark is one
/// client address) and the given services run as two instances.
/// </summary>
public sealed class CityPlatform : IAsyncDisposable
{
    private static readonly string[] Services = ["identity", "organizations", "volunteers", "stations", "training", "rights", "partners", "gateway"];
    private static readonly string[] RateLimitPolicies = ["per-client", "anonymous-read", "public-write", "sign-in", "one-time-code"];
    private readonly DistributedApplication _app;
    private readonly string _dataDirectory;

    private CityPlatform(DistributedApplication app, string dataDirectory, HttpClient gateway, HttpClient @operator)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Gateway = gateway;
        Operator = @operator;
    }

    /// <summary>The gateway, without a token.</summary>
    public HttpClient Gateway { get; }

    /// <summary>The gateway as the bootstrap operator.</summary>
    public HttpClient Operator { get; }

    public static async Task<CityPlatform> StartAsync(double scale, string[] scaledOut, bool loadDemoCity)
    {
        var dataDirectory = Path.Combine(Repository.Root, ".data", string.Create(CultureInfo.InvariantCulture, $"benchmark-city-x{scale}"));
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101); // the postgres user must reach it
        var (portArguments, _) = AppHostPorts.Reserve();
        string[] arguments =
        [
            "Platform:Infrastructure=local", $"Platform:DataDirectory={dataDirectory}",
            $"DemoData:Load={loadDemoCity}", string.Create(CultureInfo.InvariantCulture, $"DemoData:Scale={scale}"),
            .. RateLimitPolicies.Select(p => $"Platform:RateLimits:{p}:PermitLimit={int.MaxValue}"),
            .. scaledOut.Select(s => $"Platform:Instances:{s}=2"),
            // The app host's console: the figures, not every resource's log (the dashboard is off; services log as usual).
            "Logging:LogLevel:Default=Warning", "Logging:LogLevel:AppHost.Resources=None",
            "Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
            .. portArguments,
        ];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(arguments, (options, _) => options.DisableDashboard = true, timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var instances = Services.Concat(scaledOut.Select(s => $"{s}-2"));
        await Task.WhenAll(instances.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, timeout.Token)));
        Log($"x{scale}: platform up with {(scaledOut.Length == 0 ? "one instance of every service" : "two instances of " + string.Join(" and ", scaledOut))}");

        if (loadDemoCity)
        {
            await LoadAsync(app, scale);
        }
        var password = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "operator.password"))).Trim();
        var gateway = Client(app, null);
        var token = await PasswordTokenAsync(gateway, "operator", password);
        return new CityPlatform(app, dataDirectory, gateway, Client(app, token));
    }

    /// <summary>Waits for the app host's demo city loader to end, showing its progress lines; fails if it did not load everything.</summary>
    private static async Task LoadAsync(DistributedApplication app, double scale)
    {
        var loader = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "demo-city");
        using var stopWatching = new CancellationTokenSource();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var progress = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(loader).WithCancellation(stopWatching.Token))
                {
                    foreach (var line in batch.Where(l => l.Content.Contains("Demo city", StringComparison.Ordinal)))
                    {
                        Log($"x{scale}: {line.Content[line.Content.IndexOf("Demo city", StringComparison.Ordinal)..]}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The load ended.
            }
        });
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30 * Math.Max(1, scale)));
        var ended = await app.ResourceNotifications.WaitForResourceAsync("demo-city",
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(1)); // its last lines
        await stopWatching.CancelAsync();
        await progress;
        if (ended.Snapshot.ExitCode is not 0)
        {
            throw new InvalidOperationException($"The demo city loader ended with exit code {ended.Snapshot.ExitCode} after {clock.Elapsed.TotalSeconds:0} s.");
        }
        Log($"x{scale}: demo city loaded (or found there) in {clock.Elapsed.TotalSeconds:0} s");
    }

    public async Task<string> ConnectionStringAsync(string resource) =>
        await _app.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"No connection string for {resource}.");

    /// <summary>
    /// Signs in <paramref name="count"/> demo workers through the gateway (phone code, then token) and returns their
    /// tokens. Each worker may report 20 hazards an hour, so every call takes the next workers of the plan (the place
    /// is kept in the data folder) and comes back to the first only after all were used.
    /// </summary>
    public async Task<string[]> SignInWorkersAsync(CityPlan plan, int count)
    {
        var next = Path.Combine(_dataDirectory, "benchmark-next-reporter");
        var first = File.Exists(next) ? int.Parse(await File.ReadAllTextAsync(next), CultureInfo.InvariantCulture) : 0;
        if (first + count > plan.Workers.Count)
        {
            first = 0;
        }
        await File.WriteAllTextAsync(next, (first + count).ToString(CultureInfo.InvariantCulture));
        var tokens = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var phone = plan.Workers[first + i].Phone;
            using var asked = await Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone }, ct);
            var code = (await asked.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("code").GetString()!;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:platform:grant-type:phone-code", ["client_id"] = "platform-app", ["phone"] = phone, ["code"] = code,
            });
            using var token = await Gateway.PostAsync(new Uri("/connect/token", UriKind.Relative), form, ct);
            tokens[i] = (await token.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString()!;
        });
        Log($"  {count} workers signed in (plan workers {first}-{first + count - 1})");
        return tokens;
    }

    /// <summary>CPU time so far of each platform process (services by name, instances together), PostgreSQL and RabbitMQ.</summary>
    public ServiceCpu CpuByService() => ServiceCpu.Read();

    private static HttpClient Client(DistributedApplication app, string? token)
    {
        var client = app.CreateHttpClient("gateway");
        client.Timeout = TimeSpan.FromSeconds(30);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static async Task<string> PasswordTokenAsync(HttpClient gateway, string userName, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "platform-app", ["username"] = userName, ["password"] = password,
        });
        using var response = await gateway.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Sign-in of {userName} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        Operator.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static void Log(string message) => MessagingBenchmark.Log(message);
}

/// <summary>
/// CPU time of the platform's processes, read from /proc (user plus system time): services by name (instances
/// together), PostgreSQL (server and backends) and RabbitMQ. A difference counts each process's own growth; a process
/// that ended in between is left out.
/// </summary>
public sealed class ServiceCpu(Dictionary<int, (string Name, double Seconds)> processes)
{
    private Dictionary<int, (string Name, double Seconds)> Processes => processes;

    private static readonly string[] Assemblies = ["Gateway", "Platform.Identity", "Organizations", "Volunteers", "Stations", "Training", "Rights", "Partners", "DemoCity"];

    public static ServiceCpu Read()
    {
        var result = new Dictionary<int, (string, double)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var name = Assemblies.FirstOrDefault(a => command.Contains($"/net10.0/{a}.dll", StringComparison.Ordinal))
                           ?? (command.StartsWith("postgres", StringComparison.Ordinal) || command.Contains("/bin/postgres ", StringComparison.Ordinal) ? "PostgreSQL"
                               : command.Contains("beam.smp", StringComparison.Ordinal) ? "RabbitMQ" : null);
                if (name is null)
                {
                    continue;
                }
                result[pid] = (name, ServiceProcess.CpuTicksOf(pid) / 100.0); // USER_HZ
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        return new ServiceCpu(result);
    }

    /// <summary>Seconds used since <paramref name="before"/>, by process kind.</summary>
    public IReadOnlyDictionary<string, double> Since(ServiceCpu before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return processes
            .Select(p => (p.Value.Name, Used: p.Value.Seconds - (before.Processes.TryGetValue(p.Key, out var then) && then.Name == p.Value.Name ? then.Seconds : 0)))
            .GroupBy(p => p.Name)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Used));
    }
}
