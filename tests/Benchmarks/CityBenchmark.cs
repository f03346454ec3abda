extern alias democity;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using democity::Platform.DemoCity;
using Npgsql;

namespace Platform.Benchmarks;

public sealed record CityBenchmarkSettings
{
    /// <summary>Multiples of the Langfang report's city (1 = 237 communities, 7,500 workers; 10 = ten times that).</summary>
    public double[] Scales { get; init; } = [1, 10];
    /// <summary>The services run as two instances in the second run of each scale.</summary>
    public string[] ScaledOut { get; init; } = ["volunteers", "stations"];
    /// <summary>Requests in flight at once (app clients) for the search and intake figures.</summary>
    public int Concurrency { get; init; } = 16;
    /// <summary>
    /// Before each figure: a platform just started with two instances is cold (its code not yet tiered up), while the
    /// one-instance run follows the demo load; 15 s of the same requests puts both in the same state.
    /// </summary>
    public int WarmupSeconds { get; init; } = 15;
    public int Seconds { get; init; } = 15;
    /// <summary>
    /// Workers signed in for the intake: each may report 20 hazards an hour, so enough for warm-up and measurement at
    /// about 1,300/s (1,200 ran out at 675/s: 4,437 answers were the worker's 429).
    /// </summary>
    public int Reporters { get; init; } = 2_000;
    /// <summary>Communities registered at once for the events' rate.</summary>
    public int EventBurst { get; init; } = 1_000;
    /// <summary>Communities registered per second, for 15 s, for the events' commit-to-effect percentiles.</summary>
    public int EventRate { get; init; } = 40;

    public static CityBenchmarkSettings Parse(string[] args)
    {
        var settings = new CityBenchmarkSettings();
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--scales" => settings with { Scales = [.. value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))] },
                "--scale-out" => settings with { ScaledOut = value.Split(',') },
                "--concurrency" => settings with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--reporters" => settings with { Reporters = int.Parse(value, CultureInfo.InvariantCulture) },
                "--event-burst" => settings with { EventBurst = int.Parse(value, CultureInfo.InvariantCulture) },
                "--event-rate" => settings with { EventRate = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return settings;
    }
}

/// <summary>
/// The whole platform as the app host runs it (Release build, local PostgreSQL and RabbitMQ), loaded with the demo city
/// at each scale, measured through the gateway as app teams call it: once with one instance of every service and once
/// with two instances of the scaled-out services (the same data). Figures:
/// <list type="bullet">
/// <item>nearby search: stations near random places of the city, anonymous, <c>Concurrency</c> in flight; p50/p99;</item>
/// <item>hazard intake: signed-in demo workers report hazards at random places of the city; rate, p50/p99;</item>
/// <item>events end to end: the operator registers communities; effect = the community is in all four services that
/// keep a copy (volunteers, stations, training, rights), seen by polling their databases every 10 ms. A burst gives
/// the rate, a steady offered rate gives commit-to-effect percentiles (commit = the 201 answer).</item>
/// </list>
/// Each city's data stays in <c>.data/benchmark-city-x{scale}</c>, so the load (about 25 minutes at 10x here) happens
/// once; the loader runs every time and finds it there. Delete the folder to load afresh.
/// </summary>
public static class CityBenchmark
{
    private static readonly string[] Categories = ["open-garbage", "clutter", "illegal-construction", "broken-manhole-cover", "hanging-cable", "elevator-failure", "other"];
    private static readonly string[] CopyHolders = ["volunteers", "stations", "training", "rights"];

    public static async Task<int> RunAsync(CityBenchmarkSettings settings)
    {
        Log($"machine: {Machine.Describe()}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Log($"settings: scales {string.Join(", ", settings.Scales)}; scaled out: {string.Join(", ", settings.ScaledOut)}; {settings.Concurrency} in flight, " +
            $"{settings.WarmupSeconds} s warm-up + {settings.Seconds} s per figure");
        var results = new List<CityRun>();
        foreach (var scale in settings.Scales)
        {
            var plan = new CityPlan(scale);
            foreach (var scaledOut in new[] { Array.Empty<string>(), settings.ScaledOut })
            {
                var first = scaledOut.Length == 0;
                await using var platform = await CityPlatform.StartAsync(scale, scaledOut, loadDemoCity: first);
                var run = await MeasureAsync(platform, plan, scale, scaledOut.Length == 0 ? 1 : 2, settings);
                results.Add(run);
                Log(run.ToString());
            }
        }
        PrintTable(results, settings);
        return results.All(r => r.Failures == 0) ? 0 : 1;
    }

    private static async Task<CityRun> MeasureAsync(CityPlatform platform, CityPlan plan, double scale, int instances, CityBenchmarkSettings settings)
    {
        Log($"x{scale}, {instances} instance(s): measuring");
        var cpu = platform.CpuByService();
        var search = await ClosedLoopAsync(settings, (client, random, ct) => SearchAsync(client, plan, random, ct), platform.Gateway);
        var reporters = await platform.SignInWorkersAsync(plan, settings.Reporters);
        var intake = await ClosedLoopAsync(settings, (client, random, ct) => ReportAsync(client, plan, reporters, random, ct), platform.Gateway);
        var events = await EventsAsync(platform, plan, settings);
        var busiest = platform.CpuByService().Since(cpu);
        return new CityRun(scale, instances, search, intake, events, busiest);
    }

    // ---- search and intake: app clients in a closed loop -----------------------------------------------------------

    private static async Task<Loop> ClosedLoopAsync(CityBenchmarkSettings settings, Func<HttpClient, Random, CancellationToken, Task<HttpStatusCode>> call, HttpClient client)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<int, int>();
        var measuring = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(settings.WarmupSeconds + settings.Seconds));
        var measuredFrom = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, settings.Concurrency).Select(async k =>
        {
            var random = new Random(k);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                try
                {
                    status = await call(client, random, CancellationToken.None);
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                if (!Volatile.Read(ref measuring))
                {
                    continue;
                }
                if ((int)status is >= 200 and < 300)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    failures.AddOrUpdate((int)status, 1, (_, n) => n + 1);
                }
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds));
        Volatile.Write(ref measuring, true);
        measuredFrom.Restart();
        await Task.WhenAll(loops);
        var sorted = latencies.Order().ToArray();
        return new Loop(sorted.Length / measuredFrom.Elapsed.TotalSeconds, Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99),
            failures.Values.Sum(), string.Join(", ", failures.OrderBy(f => f.Key).Select(f => $"{f.Value} x {(f.Key == 0 ? "no answer" : f.Key)}")));
    }

    /// <summary>A random place of the city: within 2 km of a random community.</summary>
    private static (double Latitude, double Longitude) Somewhere(CityPlan plan, Random random)
    {
        var community = plan.Communities[random.Next(plan.Communities.Count)];
        return (community.Latitude + (random.NextDouble() - 0.5) * 0.036, community.Longitude + (random.NextDouble() - 0.5) * 0.046);
    }

    private static async Task<HttpStatusCode> SearchAsync(HttpClient client, CityPlan plan, Random random, CancellationToken ct)
    {
        var (latitude, longitude) = Somewhere(plan, random);
        using var response = await client.GetAsync(string.Create(CultureInfo.InvariantCulture,
            $"/api/stations/stations/nearby?latitude={latitude:F6}&longitude={longitude:F6}"), ct);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> ReportAsync(HttpClient client, CityPlan plan, string[] tokens, Random random, CancellationToken ct)
    {
        var (latitude, longitude) = Somewhere(plan, random);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/volunteers/hazard-reports")
        {
            Content = JsonContent.Create(new { category = Categories[random.Next(Categories.Length)], latitude, longitude }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[random.Next(tokens.Length)]);
        using var response = await client.SendAsync(request, ct);
        return response.StatusCode;
    }

    // ---- events: community registered -> copies in four services --------------------------------------------------

    private static async Task<Events> EventsAsync(CityPlatform platform, CityPlan plan, CityBenchmarkSettings settings)
    {
        using var watch = await CopyWatch.StartAsync(platform);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var index = 0;
        Task<Guid?> Register() => RegisterAsync(platform.Operator, plan, tag, Interlocked.Increment(ref index));

        // Warm-up: the same path, not counted.
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency }, async (_, _) =>
        {
            if (await Register() is { } id)
            {
                watch.Expect(id, Stopwatch.GetTimestamp());
            }
        });
        await watch.UntilAllSeenAsync(TimeSpan.FromMinutes(2));
        watch.Reset();

        // Rate: a burst, Concurrency at a time, until every copy holds every community.
        var burst = Stopwatch.StartNew();
        var registered = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.EventBurst), new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency }, async (_, _) =>
        {
            if (await Register() is { } id)
            {
                watch.Expect(id, Stopwatch.GetTimestamp());
                registered.Add(id);
            }
        });
        await watch.UntilAllSeenAsync(TimeSpan.FromMinutes(5));
        var rate = registered.Count / burst.Elapsed.TotalSeconds;
        var failures = settings.EventBurst - registered.Count;
        watch.Reset();

        // Commit to effect at a steady offered rate.
        var offered = new List<Task>();
        var steady = Stopwatch.StartNew();
        var sent = 0;
        while (steady.Elapsed < TimeSpan.FromSeconds(settings.Seconds))
        {
            while (sent < steady.Elapsed.TotalSeconds * settings.EventRate)
            {
                sent++;
                offered.Add(Task.Run(async () =>
                {
                    if (await Register() is { } id)
                    {
                        watch.Expect(id, Stopwatch.GetTimestamp());
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }));
            }
            await Task.Delay(5);
        }
        await Task.WhenAll(offered);
        await watch.UntilAllSeenAsync(TimeSpan.FromMinutes(2));
        var latencies = watch.LatenciesMs();
        return new Events(rate, settings.EventBurst, settings.EventRate, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), failures);
    }

    private static async Task<Guid?> RegisterAsync(HttpClient client, CityPlan plan, string tag, int index)
    {
        var district = CityPlan.Districts[index % CityPlan.Districts.Count];
        using var response = await client.PostAsJsonAsync("/api/organizations/communities", new
        {
            name = $"基准{tag}-{index}社区",
            district = district.Name,
            street = district.Streets[index % district.Streets.Length],
            latitude = district.Latitude + (index % 100 - 50) * 0.0004,
            longitude = district.Longitude + (index / 100 % 100 - 50) * 0.0005,
        });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Polls the four copy holders' databases for the communities registered, noting when the last one has each.</summary>
    private sealed class CopyWatch : IDisposable
    {
        private readonly ConcurrentDictionary<Guid, long> _pending = new();
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly NpgsqlDataSource[] _databases;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _polling;

        private CopyWatch(NpgsqlDataSource[] databases)
        {
            _databases = databases;
            _polling = Task.Run(PollAsync);
        }

        public static async Task<CopyWatch> StartAsync(CityPlatform platform)
        {
            var databases = new List<NpgsqlDataSource>();
            foreach (var service in CopyHolders)
            {
                databases.Add(NpgsqlDataSource.Create(await platform.ConnectionStringAsync($"{service}-db")));
            }
            return new CopyWatch([.. databases]);
        }

        public void Expect(Guid community, long committedAt) => _pending[community] = committedAt;

        public void Reset() => _latencies.Clear();

        public double[] LatenciesMs() => [.. _latencies.Order()];

        public async Task UntilAllSeenAsync(TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!_pending.IsEmpty)
            {
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{_pending.Count} communities not in every copy after {timeout.TotalSeconds:0} s.");
                }
                await Task.Delay(50);
            }
        }

        private async Task PollAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var ids = _pending.Keys.ToArray();
                if (ids.Length > 0)
                {
                    var seenEverywhere = new HashSet<Guid>(ids);
                    foreach (var database in _databases)
                    {
                        await using var command = database.CreateCommand("SELECT \"Id\" FROM communities WHERE \"Id\" = ANY($1)");
                        command.Parameters.Add(new NpgsqlParameter { Value = seenEverywhere.ToArray() });
                        var here = new HashSet<Guid>();
                        await using (var reader = await command.ExecuteReaderAsync())
                        {
                            while (await reader.ReadAsync())
                            {
                                here.Add(reader.GetGuid(0));
                            }
                        }
                        seenEverywhere.IntersectWith(here);
                    }
                    var now = Stopwatch.GetTimestamp();
                    foreach (var id in seenEverywhere)
                    {
                        if (_pending.TryRemove(id, out var committedAt))
                        {
                            _latencies.Add(Stopwatch.GetElapsedTime(committedAt, now).TotalMilliseconds);
                        }
                    }
                }
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _polling.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            foreach (var database in _databases)
            {
                database.Dispose();
            }
            _stop.Dispose();
        }
    }

    // ---- results ---------------------------------------------------------------------------------------------------

    /// <summary>Answered-with-2xx rate and latencies; the other answers by status (0: no answer).</summary>
    public sealed record Loop(double Rate, double P50, double P99, int Failures, string FailedBy);

    public sealed record Events(double Rate, int Burst, int OfferedRate, double P50, double P99, int Failures);

    private sealed record CityRun(double Scale, int Instances, Loop Search, Loop Intake, Events Events, IReadOnlyDictionary<string, double> Cpu)
    {
        public int Failures => Search.Failures + Intake.Failures + Events.Failures;

        public override string ToString() =>
            $"x{Scale}, {Instances} instance(s): nearby search {Search.Rate:N0}/s p50 {Search.P50:0.0} p99 {Search.P99:0.0} ms ({Search.Failures} failed {Search.FailedBy}); " +
            $"hazard intake {Intake.Rate:N0}/s p50 {Intake.P50:0.0} p99 {Intake.P99:0.0} ms ({Intake.Failures} failed {Intake.FailedBy}); " +
            $"events {Events.Rate:N0}/s, commit to effect at {Events.OfferedRate}/s p50 {Events.P50:0} p99 {Events.P99:0} ms ({Events.Failures} failed); " +
            $"CPU while measuring: {string.Join(", ", Cpu.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:0.0} s"))}";
    }

    private static void PrintTable(List<CityRun> runs, CityBenchmarkSettings settings)
    {
        string Cell(double scale, int instances, Func<CityRun, string> value) =>
            runs.FirstOrDefault(r => r.Scale == scale && r.Instances == instances) is { } run ? value(run) : "-";
        var columns = settings.Scales.SelectMany(s => new[] { (s, 1), (s, 2) }).ToList();
        Console.WriteLine();
        Console.WriteLine("| Figure | " + string.Join(" | ", columns.Select(c => $"x{c.s}, {(c.Item2 == 1 ? "1 instance" : "2 of " + string.Join(", ", settings.ScaledOut))}")) + " |");
        Console.WriteLine("|---|" + string.Concat(columns.Select(_ => "---|")));
        void Row(string name, Func<CityRun, string> value) =>
            Console.WriteLine($"| {name} | " + string.Join(" | ", columns.Select(c => Cell(c.s, c.Item2, value))) + " |");
        Row($"nearby search, requests/s ({settings.Concurrency} in flight)", r => $"{r.Search.Rate:N0}");
        Row("nearby search p50 / p99, ms", r => $"{r.Search.P50:0.0} / **{r.Search.P99:0.0}**");
        Row($"hazard intake, reports/s ({settings.Concurrency} in flight)", r => $"**{r.Intake.Rate:N0}**");
        Row("hazard intake p50 / p99, ms", r => $"{r.Intake.P50:0.0} / **{r.Intake.P99:0.0}**");
        Row($"events end to end, communities/s into 4 copies (burst of {settings.EventBurst:N0})", r => $"**{r.Events.Rate:N0}**");
        Row($"commit to effect in all 4 copies at {settings.EventRate}/s, p50 / p99, ms", r => $"{r.Events.P50:0} / **{r.Events.P99:0}**");
        Row("failed requests", r => $"{r.Failures}");
        Row("busiest processes while measuring, CPU s", r => string.Join(", ", r.Cpu.OrderByDescending(c => c.Value).Take(3).Select(c => $"{c.Key} {c.Value:0}")));
    }

    private static void Log(string message) => MessagingBenchmark.Log(message);
}
