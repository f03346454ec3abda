extern alias volunteers;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Benchmarks;

public sealed record VolunteersBenchmarkSettings
{
    /// <summary>Open hazard reports in the table before measuring (the duplicate check searches them).</summary>
    public int OpenReports { get; init; } = 100_000;
    /// <summary>Requests in flight at once (workers' phones reporting at the same time).</summary>
    public int Concurrency { get; init; } = 32;
    public int Seconds { get; init; } = 20;
    /// <summary>Long enough for tiered JIT to settle on 2 busy cores; steady state is what a city's server runs in.</summary>
    public int WarmupSeconds { get; init; } = 60;
    /// <summary>Distinct workers the reports come from (each with its own token).</summary>
    public int Workers { get; init; } = 2_000;
    /// <summary>
    /// Reports per second offered at fixed times (open loop) instead of <see cref="Concurrency"/> clients each waiting
    /// for its answer: latency then counts from when a report was due, so a backlog shows as latency, not as a slower
    /// client. 0: closed loop.
    /// </summary>
    public int Rate { get; init; }
    /// <summary>"wrk": the load comes from wrk (a C program, in its own process) instead of HttpClient in this one.</summary>
    public string Driver { get; init; } = "http-client";
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Hazard intake end to end: the real volunteers service (its Program, on Kestrel, with its outbox dispatcher and bus)
/// on a real PostgreSQL and RabbitMQ, with 100,000 open reports already in the table. Concurrent clients POST
/// /hazard-reports at random positions over a 33 km x 26 km area around Langfang; each request runs the rate limit,
/// the advisory locks, the duplicate check (an index range scan), routing and the outbox write in one transaction.
/// </summary>
public static class VolunteersBenchmark
{
    private const double MinLatitude = 39.40, MaxLatitude = 39.70, MinLongitude = 116.55, MaxLongitude = 116.85;
    private static readonly string[] Categories = ["open-garbage", "clutter", "illegal-construction", "broken-manhole-cover", "hanging-cable", "elevator-failure", "other"];
    private static readonly string[] StoredCategories = ["OpenGarbage", "Clutter", "IllegalConstruction", "BrokenManholeCover", "HangingCable", "ElevatorFailure", "Other"];
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static async Task<int> RunAsync(VolunteersBenchmarkSettings settings)
    {
        Log($"machine: {Machine.Describe()}");
        Log($"settings: {settings}");
        using var deadline = new CancellationTokenSource(settings.Deadline);
        await using var infrastructure = new LocalInfrastructureScope();
        await infrastructure.Value.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(2), deadline.Token);
        Log($"PostgreSQL on {infrastructure.Value.PostgresPort}, RabbitMQ on {infrastructure.Value.RabbitMqPort}");

        // Outside a test project there is no Mvc.Testing manifest naming the service's content root; the benchmark's
        // own folder serves (the service reads nothing from it but appsettings.json, which is copied there).
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VOLUNTEERS", AppContext.BaseDirectory);
        await using var service = new ServiceFactory<volunteers::Program>(infrastructure.Value, "volunteers", new Dictionary<string, string>
        {
            // The limit protects against one phone flooding; the benchmark's workers report far more often than people do.
            ["Volunteers:Hazards:ReportsPerHour"] = "1000000",
            ["Logging:LogLevel:Default"] = "Error",
        });
        await service.StartWithBusAsync();
        Log("service started");

        await SeedAsync(service, settings.OpenReports, deadline.Token);
        Log($"{settings.OpenReports:N0} open reports and one community per 0.05 degrees seeded; ANALYZE done");
        Log("duplicate check plan:");
        foreach (var line in await ExplainDuplicateCheckAsync(service, deadline.Token))
        {
            Log($"    {line}");
        }

        var tokens = Enumerable.Range(0, settings.Workers).Select(_ => TestTokens.ForWorker(Guid.NewGuid())).ToArray();
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Rate > 0 ? MaxInFlight : settings.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        using var client = new HttpClient(handler) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        if (settings.Driver == "wrk")
        {
            return await RunWithWrkAsync(service, tokens, settings, deadline.Token);
        }

        Log($"warm-up {settings.WarmupSeconds} s");
        await LoadAsync(client, tokens, settings.Concurrency, TimeSpan.FromSeconds(settings.WarmupSeconds), deadline.Token);
        var before = await CountAsync(service, deadline.Token);
        Log(settings.Rate > 0
            ? $"measuring {settings.Seconds} s at {settings.Rate:N0} reports/s offered (at most {MaxInFlight} in flight)"
            : $"measuring {settings.Seconds} s with {settings.Concurrency} requests in flight");
        var cpu = new CpuSample();
        var run = settings.Rate > 0
            ? await OfferAsync(client, tokens, settings.Rate, TimeSpan.FromSeconds(settings.Seconds), deadline.Token)
            : await LoadAsync(client, tokens, settings.Concurrency, TimeSpan.FromSeconds(settings.Seconds), deadline.Token);
        var use = cpu.Stop();
        var after = await CountAsync(service, deadline.Token);

        var latencies = run.Latencies.Order().ToArray();
        Log("results:");
        Log($"  accepted: {run.Accepted:N0} in {run.Seconds:0.0} s = {run.Accepted / run.Seconds:N0} reports/s ({run.Created:N0} new, {run.MeToo:N0} joined an open report as \"me too\"), failures: {run.Failures}");
        Log($"  latency ms p50 / p95 / p99 / max: {Stats.Percentile(latencies, 50):0.0} / {Stats.Percentile(latencies, 95):0.0} / {Stats.Percentile(latencies, 99):0.0} / {latencies[^1]:0.0}");
        Log($"  reports in the table: {before.Reports:N0} -> {after.Reports:N0}; submissions {before.Submissions:N0} -> {after.Submissions:N0}");
        Log($"  cpu: {use}");
        Log($"  cpu per accepted report: {use.PerMessage(run.Accepted)}");
        return run.Failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The same reports from wrk: 2 threads, <see cref="VolunteersBenchmarkSettings.Concurrency"/> connections, each
    /// request a random category and place and one of the workers' tokens, made by a Lua script. Warm-up and
    /// measurement both by wrk; wrk's CPU shows as "elsewhere".
    /// </summary>
    private static async Task<int> RunWithWrkAsync(ServiceFactory<volunteers::Program> service, string[] tokens, VolunteersBenchmarkSettings settings, CancellationToken ct)
    {
        var wrk = Wrk.Find();
        var folder = Directory.CreateTempSubdirectory("intake-wrk-");
        try
        {
            var tokensFile = Path.Combine(folder.FullName, "tokens.txt");
            await File.WriteAllLinesAsync(tokensFile, tokens, ct);
            var script = Path.Combine(folder.FullName, "intake.lua");
            await File.WriteAllTextAsync(script, WrkScript(tokensFile), ct);
            string[] arguments = ["-s", script, service.BaseAddress.ToString()];

            Log($"warm-up {settings.WarmupSeconds} s (wrk)");
            await Wrk.RunAsync(wrk, settings.Concurrency, settings.WarmupSeconds, arguments, allowErrors: true);
            var before = await CountAsync(service, ct);
            Log($"measuring {settings.Seconds} s with wrk, {settings.Concurrency} connections");
            var cpu = new CpuSample();
            var output = await Wrk.RunAsync(wrk, settings.Concurrency, settings.Seconds, arguments, allowErrors: true);
            var use = cpu.Stop();
            var after = await CountAsync(service, ct);

            var (requests, seconds) = Wrk.Summary(output);
            var failures = Wrk.NonSuccess(output);
            var accepted = (long)requests - failures;
            Log("results:");
            Log($"  accepted: {accepted:N0} in {seconds:0.0} s = {accepted / seconds:N0} reports/s ({after.Reports - before.Reports:N0} new reports), failures (non-2xx): {failures}");
            Log($"  latency ms p50 / p75 / p90 / p99: {Wrk.PercentileMs(output, "50"):0.0} / {Wrk.PercentileMs(output, "75"):0.0} / {Wrk.PercentileMs(output, "90"):0.0} / {Wrk.PercentileMs(output, "99"):0.0}");
            Log($"  reports in the table: {before.Reports:N0} -> {after.Reports:N0}; submissions {before.Submissions:N0} -> {after.Submissions:N0}");
            Log($"  cpu ('elsewhere' is wrk): {use}");
            Log($"  cpu per accepted report: {use.PerMessage(accepted)}");
            return failures == 0 && !output.Contains("Socket errors", StringComparison.Ordinal) ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string WrkScript(string tokensFile)
    {
        var number = CultureInfo.InvariantCulture;
        return $$"""
            local tokens = {}
            for line in io.lines("{{tokensFile}}") do tokens[#tokens + 1] = line end
            local categories = { {{string.Join(", ", Categories.Select(c => '"' + c + '"'))}} }
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("seed", threads)
            end
            function init(args)
              math.randomseed(os.time() * 100 + seed)
            end
            function request()
              local body = string.format('{"category":"%s","latitude":%.6f,"longitude":%.6f}',
                categories[math.random(#categories)],
                {{MinLatitude.ToString(number)}} + math.random() * {{(MaxLatitude - MinLatitude).ToString(number)}},
                {{MinLongitude.ToString(number)}} + math.random() * {{(MaxLongitude - MinLongitude).ToString(number)}})
              return wrk.format("POST", "/hazard-reports",
                { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] }, body)
            end
            """;
    }

    private sealed record Run(long Accepted, long Created, long MeToo, long Failures, double Seconds, List<double> Latencies);

    /// <summary>Open loop: cap on reports in flight, so a service that falls far behind fails the run instead of the machine.</summary>
    private const int MaxInFlight = 256;

    private sealed class Tally
    {
        public long Created, MeToo, Failures;

        public Run ToRun(double seconds, List<double> latencies) => new(Created + MeToo, Created, MeToo, Failures, seconds, latencies);
    }

    /// <summary>Closed loop: each client sends its next report when the last one was answered.</summary>
    private static async Task<Run> LoadAsync(HttpClient client, string[] tokens, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var tally = new Tally();
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(async n =>
        {
            var random = new Random(n * 7919 + Environment.TickCount);
            var mine = latencies[n] = [];
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                if (await ReportAsync(client, tokens, random, tally, ct))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }).ToArray();
        await Task.WhenAll(loops);
        return tally.ToRun(clock.Elapsed.TotalSeconds, latencies.SelectMany(l => l).ToList());
    }

    /// <summary>Open loop: report i is due at i / rate seconds; its latency counts from then, not from when it was sent.</summary>
    private static async Task<Run> OfferAsync(HttpClient client, string[] tokens, int rate, TimeSpan duration, CancellationToken ct)
    {
        var tally = new Tally();
        var latencies = new List<double>();
        var random = new Random(Environment.TickCount);
        using var slots = new SemaphoreSlim(MaxInFlight);
        var inFlight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var count = (long)(rate * duration.TotalSeconds);
        for (long i = 0; i < count && !ct.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }
            if (!await slots.WaitAsync(TimeSpan.FromSeconds(30), ct))
            {
                throw new TimeoutException($"{MaxInFlight} reports in flight for 30 s: the service is not keeping up with {rate}/s.");
            }
            var dueTimestamp = started + (long)(due.TotalSeconds * Stopwatch.Frequency);
            var sender = new Random(random.Next());
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    if (await ReportAsync(client, tokens, sender, tally, ct))
                    {
                        var latency = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
                        lock (latencies)
                        {
                            latencies.Add(latency);
                        }
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, ct));
        }
        await Task.WhenAll(inFlight);
        return tally.ToRun(Stopwatch.GetElapsedTime(started).TotalSeconds, latencies);
    }

    /// <summary>One worker's report at a random place; whether it was answered (accepted or not).</summary>
    private static async Task<bool> ReportAsync(HttpClient client, string[] tokens, Random random, Tally tally, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hazard-reports")
        {
            Content = JsonContent.Create(new
            {
                category = Categories[random.Next(Categories.Length)],
                latitude = MinLatitude + random.NextDouble() * (MaxLatitude - MinLatitude),
                longitude = MinLongitude + random.NextDouble() * (MaxLongitude - MinLongitude),
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[random.Next(tokens.Length)]);
        try
        {
            using var response = await client.SendAsync(request, ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created: Interlocked.Increment(ref tally.Created); break;
                case HttpStatusCode.OK: Interlocked.Increment(ref tally.MeToo); break;
                default: Interlocked.Increment(ref tally.Failures); break;
            }
            return true;
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref tally.Failures);
            return false;
        }
    }

    private static async Task SeedAsync(ServiceFactory<volunteers::Program> service, int reports, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(service.DatabaseConnectionString);
        await connection.OpenAsync(ct);
        var categories = string.Join(",", StoredCategories.Select(c => $"'{c}'"));
        var sql = $"""
            INSERT INTO communities ("Id", "Name", "District", "Street", "Latitude", "Longitude", "RegisteredAt")
            SELECT gen_random_uuid(), 'community ' || la || '-' || lo, 'district ' || (la % 3), 'street', {MinLatitude.ToString(CultureInfo.InvariantCulture)} + la * 0.05, {MinLongitude.ToString(CultureInfo.InvariantCulture)} + lo * 0.05, now()
            FROM generate_series(0, 6) la, generate_series(0, 6) lo;
            INSERT INTO hazard_reports ("Id", "Category", "Latitude", "Longitude", "District", "Department", "Status", "ReportedAt", "UpdatedAt", "MeTooCount", "HasPhoto")
            SELECT gen_random_uuid(), (ARRAY[{categories}])[1 + floor(random() * 7)::int],
                   {MinLatitude.ToString(CultureInfo.InvariantCulture)} + random() * {(MaxLatitude - MinLatitude).ToString(CultureInfo.InvariantCulture)},
                   {MinLongitude.ToString(CultureInfo.InvariantCulture)} + random() * {(MaxLongitude - MinLongitude).ToString(CultureInfo.InvariantCulture)},
                   'district 0', 'urban-management', 'Open', now(), now(), 0, false
            FROM generate_series(1, {reports});
            ANALYZE;
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The plan PostgreSQL chooses for the duplicate check the service runs (its statement, typical values).</summary>
    private static async Task<List<string>> ExplainDuplicateCheckAsync(ServiceFactory<volunteers::Program> service, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(service.DatabaseConnectionString);
        await connection.OpenAsync(ct);
        // The service's own statement, with the box of a 30 m neighbourhood in the middle of the area.
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + volunteers::Platform.Volunteers.Application.HazardIntakeSql.OpenReportsNear, connection)
        {
            Parameters =
            {
                new() { Value = "BrokenManholeCover" },
                new() { Value = 39.5183 }, new() { Value = 39.5189 }, new() { Value = 116.6942 }, new() { Value = 116.6950 },
                new() { Value = Guid.NewGuid() },
            },
        };
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    private static async Task<(long Reports, long Submissions)> CountAsync(ServiceFactory<volunteers::Program> service, CancellationToken ct) =>
        (await service.ScalarAsync<long>("SELECT count(*) FROM hazard_reports"), await service.ScalarAsync<long>("SELECT count(*) FROM hazard_submissions"));

    private static void Log(string message) =>
        Console.WriteLine($"[{Stopwatch.GetElapsedTime(Started).TotalSeconds,7:0.0}s] {message}");

    /// <summary>Stops the servers however the run ends.</summary>
    private sealed class LocalInfrastructureScope : IAsyncDisposable
    {
        public LocalInfrastructure Value { get; } = new();

        public async ValueTask DisposeAsync() => await Value.DisposeAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }
}

internal static class VolunteersOptions
{
    public static VolunteersBenchmarkSettings Parse(string[] args)
    {
        var settings = new VolunteersBenchmarkSettings();
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--driver")
            {
                settings = settings with { Driver = args[i + 1] is "wrk" or "http-client" ? args[i + 1] : throw new ArgumentException("--driver is wrk or http-client.") };
                continue;
            }
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--open-reports" => settings with { OpenReports = value },
                "--concurrency" => settings with { Concurrency = value },
                "--seconds" => settings with { Seconds = value },
                "--workers" => settings with { Workers = value },
                "--warmup" => settings with { WarmupSeconds = value },
                "--rate" => settings with { Rate = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return settings;
    }
}
