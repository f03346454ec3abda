using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.Benchmarks.Data;
using Platform.Benchmarks.Messaging;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.Benchmarks;

public sealed record MessagingBenchmarkSettings
{
    /// <summary>Events of scenario A (burst) and messages of scenario C (reference).</summary>
    public int Events { get; init; } = 50_000;
    /// <summary>Scenario A: writers committing in parallel.</summary>
    public int Writers { get; init; } = 4;
    /// <summary>Scenario A: events per SaveChanges (one transaction).</summary>
    public int BatchSize { get; init; } = 100;
    /// <summary>Scenario B: events per second offered.</summary>
    public int OfferedRate { get; init; } = 1_000;
    public int OfferedSeconds { get; init; } = 20;
    /// <summary>Scenario B: a small batch is committed every tick.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Scenario C: publishes in flight at once.</summary>
    public int ReferenceInFlight { get; init; } = 500;
    /// <summary>
    /// Events sent through each bus before measuring (connections, queues, and above all JIT tiering: on 2 busy cores
    /// the runtime takes tens of seconds to reach optimised code, and a short warm-up measured that instead).
    /// </summary>
    public int Warmup { get; init; } = 60_000;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Which scenarios to run (letters A, B, C).</summary>
    public string Scenarios { get; init; } = "ABC";
}

/// <summary>
/// The messaging kit end to end on a real PostgreSQL and RabbitMQ: A) throughput of outbox -> broker -> idempotent
/// consumer, B) commit-to-effect latency at a fixed offered load, C) bare MassTransit publish -> consume for reference.
/// </summary>
public static class MessagingBenchmark
{
    private const string DatabaseName = "bench";
    // Makes the payload about the size of the platform's real events (~250 B of JSON).
    private const string Note = "volunteer 4711 checked in at station 'Yinhe North Road' of Guangyang district; shift 08:00-12:00, role: dispatcher";
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static async Task<int> RunAsync(MessagingBenchmarkSettings settings)
    {
        Log($"machine: {Machine.Describe()}");
        Log($"settings: {settings}");

        using var deadline = new CancellationTokenSource(settings.Deadline);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; deadline.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; deadline.Cancel(); });

        var infrastructure = new LocalInfrastructure();
        var teardown = new Lazy<Task>(infrastructure.DisposeAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        _ = HardDeadlineAsync(settings.Deadline + TimeSpan.FromSeconds(90), teardown);

        var results = new Results(settings);
        var exitCode = 0;
        try
        {
            Log("starting PostgreSQL and RabbitMQ (LocalInfrastructure)");
            await infrastructure.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(2), deadline.Token);
            Log($"PostgreSQL on {infrastructure.PostgresPort}, RabbitMQ on {infrastructure.RabbitMqPort}");
            // The kit's migrator would create it too, but logs a failed connection first.
            await infrastructure.CreateDatabaseAsync(DatabaseName).WaitAsync(TimeSpan.FromSeconds(30), deadline.Token);

            if (settings.Scenarios.Contains('A') || settings.Scenarios.Contains('B'))
            {
                await RunKitScenariosAsync(infrastructure, settings, results, deadline.Token);
            }
            if (settings.Scenarios.Contains('C'))
            {
                await RunReferenceAsync(infrastructure, settings, results, deadline.Token);
            }
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Benchmark aborted: {(deadline.IsCancellationRequested ? "deadline passed or stopped; " : "")}{ex}");
            exitCode = 1;
        }
        finally
        {
            Log("stopping PostgreSQL and RabbitMQ");
            try { await teardown.Value.WaitAsync(TimeSpan.FromSeconds(60)); }
            catch (Exception ex) { Console.Error.WriteLine($"Teardown failed: {ex.Message}"); exitCode = 1; }
        }

        results.Print();
        return exitCode;
    }

    // ---------------------------------------------------------------- scenarios A and B: the platform's kit

    private static async Task RunKitScenariosAsync(LocalInfrastructure infrastructure, MessagingBenchmarkSettings settings, Results results, CancellationToken ct)
    {
        var probe = new EffectProbe();
        using var counters = new KitCounters();
        using var host = BuildKitHost(infrastructure, probe);
        Log("starting the bench host (migrations, outbox dispatcher, bus)");
        await host.StartAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        try
        {
            await WaitForBusAsync(host.Services, ct);
            var services = host.Services;
            var connectionString = infrastructure.PostgresConnectionString(DatabaseName);

            Log($"warm-up: {settings.Warmup} events");
            probe.Reset(recordLatencies: false);
            await WriteBurstAsync(services, settings.Warmup, settings.Writers, settings.BatchSize, ct);
            probe.SetTarget(settings.Warmup);
            await probe.WaitAsync(TimeSpan.FromMinutes(2), ct);
            await ResetTablesAsync(connectionString, ct);

            if (settings.Scenarios.Contains('A'))
            {
                await RunScenarioAAsync(services, connectionString, settings, probe, counters, results, ct);
            }
            if (settings.Scenarios.Contains('B'))
            {
                await RunScenarioBAsync(services, connectionString, settings, probe, counters, results, ct);
            }
        }
        finally
        {
            await StopAsync(host);
        }
    }

    /// <summary>A: burst throughput end to end.</summary>
    private static async Task RunScenarioAAsync(IServiceProvider services, string connectionString, MessagingBenchmarkSettings settings,
        EffectProbe probe, KitCounters counters, Results results, CancellationToken ct)
    {
        Log($"scenario A: {settings.Events} events, {settings.Writers} writers x {settings.BatchSize} per transaction");
        await WaitForQuietMachineAsync(ct);
        probe.Reset(recordLatencies: false);
        var pgBefore = await PgStats.ReadAsync(connectionString, ct);
        var before = counters.Snapshot();
        var cpu = new CpuSample();
        var committed = new StrongBox<long>();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ReportProgressAsync(committed, counters, probe, before.Published, progressStop.Token);
        var (firstCommit, lastCommit) = await WriteBurstAsync(services, settings.Events, settings.Writers, settings.BatchSize, ct, committed);
        Log($"  all committed after {Stopwatch.GetElapsedTime(firstCommit, lastCommit).TotalSeconds:0.00} s; waiting for the effects");
        probe.SetTarget(settings.Events);
        await probe.WaitAsync(TimeSpan.FromMinutes(4), ct);
        await progressStop.CancelAsync();
        await progress;
        var a = new ScenarioA
        {
            Seconds = Stopwatch.GetElapsedTime(firstCommit, probe.ReachedAt).TotalSeconds,
            CommitSeconds = Stopwatch.GetElapsedTime(firstCommit, lastCommit).TotalSeconds,
            Cpu = cpu.Stop(),
        };
        Log($"  PostgreSQL: {(await PgStats.ReadAsync(connectionString, ct)).Minus(pgBefore).PerEvent(settings.Events)}");
        await WaitForEmptyOutboxAsync(connectionString, ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // let any redelivery land before counting
        a.Check = await VerifyAsync(connectionString, settings.Events, counters.Snapshot(), before, ct);
        results.A = a;
        Log($"  A: {a.EventsPerSecond:N0} events/s; {a.Check}");
        await ResetTablesAsync(connectionString, ct);
    }

    /// <summary>B: latency at a fixed offered load.</summary>
    private static async Task RunScenarioBAsync(IServiceProvider services, string connectionString, MessagingBenchmarkSettings settings,
        EffectProbe probe, KitCounters counters, Results results, CancellationToken ct)
    {
        Log($"scenario B: {settings.OfferedRate} events/s offered for {settings.OfferedSeconds} s, a commit every {settings.Tick.TotalMilliseconds} ms");
        await WaitForQuietMachineAsync(ct);
        probe.Reset(recordLatencies: true);
        var pgBefore = await PgStats.ReadAsync(connectionString, ct);
        var before = counters.Snapshot();
        var cpu = new CpuSample();
        var (sent, offeredSeconds, commitMs) = await OfferLoadAsync(services, settings, ct);
        probe.SetTarget(sent);
        await probe.WaitAsync(TimeSpan.FromMinutes(1), ct);
        var b = new ScenarioB
        {
            Sent = sent,
            OfferedRate = sent / offeredSeconds,
            LatenciesMs = [.. probe.LatenciesMs.Order()],
            CommitMs = [.. commitMs.Order()],
            Cpu = cpu.Stop(),
        };
        Log($"  PostgreSQL: {(await PgStats.ReadAsync(connectionString, ct)).Minus(pgBefore).PerEvent(sent)}");
        await WaitForEmptyOutboxAsync(connectionString, ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        b.Check = await VerifyAsync(connectionString, (int)sent, counters.Snapshot(), before, ct);
        b.DbLatenciesMs = await EffectLatenciesAsync(connectionString, ct);
        results.B = b;
        Log($"  B: p50 {b.P(50):0.0} ms, p95 {b.P(95):0.0} ms, p99 {b.P(99):0.0} ms, max {b.P(100):0.0} ms; {b.Check}");
        await ResetTablesAsync(connectionString, ct);
    }

    private static IHost BuildKitHost(LocalInfrastructure infrastructure, EffectProbe probe)
    {
        var builder = NewHostBuilder("bench");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{BenchDb.ConnectionName}"] = infrastructure.PostgresConnectionString(DatabaseName),
            [$"ConnectionStrings:{MessagingExtensions.BrokerConnectionName}"] = infrastructure.RabbitMqConnectionString,
        });
        // Exactly what a service does (see src/Services/*/Program.cs), with one benchmark consumer.
        builder.AddServiceDatabase<BenchDb>(BenchDb.ConnectionName);
        builder.AddMessaging<BenchDb>(bus => bus.AddConsumer<BenchEventConsumer>());
        builder.Services.AddSingleton(probe);
        builder.Services.AddConsumeObserver(sp => sp.GetRequiredService<EffectProbe>());
        return builder.Build();
    }

    /// <summary>Commits <paramref name="events"/> events into the outbox, <paramref name="batchSize"/> per SaveChanges, from parallel writers.</summary>
    private static async Task<(long FirstCommit, long LastCommit)> WriteBurstAsync(
        IServiceProvider services, int events, int writers, int batchSize, CancellationToken ct, StrongBox<long>? committed = null)
    {
        var batches = (events + batchSize - 1) / batchSize;
        var next = -1;
        long firstCommit = 0;

        async Task WriteAsync()
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches)
            {
                var count = Math.Min(batchSize, events - (batch * batchSize));
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BenchDb>();
                var committedAt = DateTimeOffset.UtcNow;
                for (var i = 0; i < count; i++)
                {
                    db.Publish(new BenchEvent(Guid.CreateVersion7(), ((long)batch * batchSize) + i, committedAt, Note));
                }
                await db.SaveChangesAsync(ct);
                Interlocked.CompareExchange(ref firstCommit, Stopwatch.GetTimestamp(), 0);
                if (committed is not null)
                {
                    Interlocked.Add(ref committed.Value, count);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync, ct)));
        return (firstCommit, Stopwatch.GetTimestamp());
    }

    /// <summary>Every 5 s: events committed, published (confirmed by the broker) and taken effect, to show which stage lags.</summary>
    private static async Task ReportProgressAsync(StrongBox<long> committed, KitCounters counters, EffectProbe probe, long publishedBefore, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Log($"    committed {Interlocked.Read(ref committed.Value),7:N0}  published {counters.Snapshot().Published - publishedBefore,7:N0}  effected {probe.Count,7:N0}");
            }
        }
        catch (OperationCanceledException)
        {
            // scenario finished
        }
    }

    /// <summary>Offers a steady rate: every tick, commits the events that are due by then (catching up if a tick was late).</summary>
    private static async Task<(long Sent, double Seconds, List<double> CommitMs)> OfferLoadAsync(
        IServiceProvider services, MessagingBenchmarkSettings settings, CancellationToken ct)
    {
        var duration = TimeSpan.FromSeconds(settings.OfferedSeconds);
        var commitMs = new List<double>();
        long sent = 0;
        using var timer = new PeriodicTimer(settings.Tick);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(ct))
        {
            var due = (long)(Math.Min(clock.Elapsed.TotalSeconds, duration.TotalSeconds) * settings.OfferedRate);
            var count = (int)(due - sent);
            if (count <= 0)
            {
                continue;
            }
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDb>();
            // The stamp precedes the commit by the SaveChanges time (reported separately): latencies err high, not low.
            var committedAt = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                db.Publish(new BenchEvent(Guid.CreateVersion7(), sent + i, committedAt, Note));
            }
            var saving = Stopwatch.GetTimestamp();
            await db.SaveChangesAsync(ct);
            commitMs.Add(Stopwatch.GetElapsedTime(saving).TotalMilliseconds);
            sent += count;
        }
        return (sent, clock.Elapsed.TotalSeconds, commitMs);
    }

    // ---------------------------------------------------------------- scenario C: bare MassTransit

    private static async Task RunReferenceAsync(LocalInfrastructure infrastructure, MessagingBenchmarkSettings settings, Results results, CancellationToken ct)
    {
        var probe = new EffectProbe();
        using var host = BuildReferenceHost(infrastructure, probe);
        Log("starting the reference bus (bare MassTransit, same settings as the kit)");
        await host.StartAsync(ct).WaitAsync(TimeSpan.FromMinutes(2), ct);
        try
        {
            await WaitForBusAsync(host.Services, ct);
            var bus = host.Services.GetRequiredService<IBus>();

            Log($"warm-up: {settings.Warmup} messages");
            probe.Reset(recordLatencies: false);
            await PublishManyAsync(bus, settings.Warmup, settings.ReferenceInFlight, ct);
            probe.SetTarget(settings.Warmup);
            await probe.WaitAsync(TimeSpan.FromMinutes(2), ct);

            await WaitForQuietMachineAsync(ct);
            Log($"scenario C: {settings.Events} messages, {settings.ReferenceInFlight} publishes in flight");
            probe.Reset(recordLatencies: false);
            var cpu = new CpuSample();
            var started = Stopwatch.GetTimestamp();
            var published = await PublishManyAsync(bus, settings.Events, settings.ReferenceInFlight, ct);
            probe.SetTarget(settings.Events);
            await probe.WaitAsync(TimeSpan.FromMinutes(3), ct);
            results.C = new ScenarioC
            {
                Seconds = Stopwatch.GetElapsedTime(started, probe.ReachedAt).TotalSeconds,
                PublishSeconds = Stopwatch.GetElapsedTime(started, published).TotalSeconds,
                Consumed = probe.Count,
                Cpu = cpu.Stop(),
            };
            Log($"  C: {results.C.MessagesPerSecond:N0} msgs/s");
        }
        finally
        {
            await StopAsync(host);
        }
    }

    private static IHost BuildReferenceHost(LocalInfrastructure infrastructure, EffectProbe probe)
    {
        var builder = NewHostBuilder("reference");
        builder.Services.AddSingleton(probe);
        builder.Services.AddConsumeObserver(sp => sp.GetRequiredService<EffectProbe>());
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        // The same bus as MessagingExtensions.AddMessaging, without outbox, inbox or database.
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("reference", includeNamespace: false));
            bus.AddConsumer<ReferenceEventConsumer>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(infrastructure.RabbitMqConnectionString), h =>
                {
                    h.PublisherConfirmation = true;
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                    h.ConnectionName("reference");
                });
                cfg.PrefetchCount = 128;
                cfg.ConcurrentMessageLimit = 64;
                cfg.UseMessageRetry(r => r.Intervals(
                    TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)));
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder.Build();
    }

    /// <summary>Publishes with up to <paramref name="inFlight"/> unconfirmed publishes; returns when all are confirmed.</summary>
    private static async Task<long> PublishManyAsync(IBus bus, int count, int inFlight, CancellationToken ct)
    {
        using var window = new SemaphoreSlim(inFlight);
        var publishes = new Task[count];

        async Task PublishAsync(long sequence)
        {
            try
            {
                await bus.Publish(new ReferenceEvent(Guid.CreateVersion7(), sequence, DateTimeOffset.UtcNow, Note), ct);
            }
            finally
            {
                window.Release();
            }
        }

        for (var i = 0; i < count; i++)
        {
            await window.WaitAsync(ct);
            publishes[i] = PublishAsync(i);
        }
        await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromMinutes(3), ct);
        return Stopwatch.GetTimestamp();
    }

    // ---------------------------------------------------------------- helpers

    private static HostApplicationBuilder NewHostBuilder(string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // On a fresh database the kit's migrator first reads a history table that does not exist yet, which EF
            // logs as a failed command; a real failure surfaces as an exception anyway.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        });
        builder.Services.Configure<HostOptions>(o =>
        {
            o.StartupTimeout = TimeSpan.FromMinutes(2);
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    private static async Task WaitForBusAsync(IServiceProvider services, CancellationToken ct)
    {
        var bus = services.GetRequiredService<IBusControl>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            try { await Task.Delay(100, timeout.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"The bus was not healthy within 60 s: {bus.CheckHealth().Description}");
            }
        }
    }

    /// <summary>
    /// The machine is shared: waits (at most 30 s) until processes other than this benchmark and its servers use
    /// less than 10 % of the cores, so that a measurement does not start in the middle of someone else's build.
    /// </summary>
    private static async Task WaitForQuietMachineAsync(CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var sample = new CpuSample();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var use = sample.Stop();
            if (use.Elsewhere < 10)
            {
                return;
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                Log($"  WARNING: other processes keep using {use.Elsewhere:0} % of the CPU; measuring anyway");
                return;
            }
            Log($"  other processes use {use.Elsewhere:0} % of the CPU; waiting for a quiet machine");
        }
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await host.StopAsync(timeout.Token).WaitAsync(TimeSpan.FromSeconds(50), CancellationToken.None);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Host did not stop cleanly: {ex.Message}");
        }
    }

    private static async Task ResetTablesAsync(string connectionString, CancellationToken ct)
    {
        await WaitForEmptyOutboxAsync(connectionString, ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var truncate = new NpgsqlCommand($"TRUNCATE bench_effects, {MessagingModel.InboxTable}", connection);
        await truncate.ExecuteNonQueryAsync(ct);
    }

    private static async Task WaitForEmptyOutboxAsync(string connectionString, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        long left;
        while ((left = await ScalarAsync(connectionString, $"SELECT count(*) FROM {MessagingModel.OutboxTable}", ct)) > 0)
        {
            try { await Task.Delay(50, timeout.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"{left} outbox rows were still unpublished after 60 s.");
            }
        }
    }

    private static async Task<Verification> VerifyAsync(
        string connectionString, int expected, (long Published, long PublishFailures, long Duplicates) after,
        (long Published, long PublishFailures, long Duplicates) before, CancellationToken ct) => new()
    {
        Expected = expected,
        Effects = await ScalarAsync(connectionString, "SELECT count(*) FROM bench_effects", ct),
        DistinctEffects = await ScalarAsync(connectionString, "SELECT count(DISTINCT event_id) FROM bench_effects", ct),
        InboxRows = await ScalarAsync(connectionString, $"SELECT count(*) FROM {MessagingModel.InboxTable}", ct),
        OutboxLeft = await ScalarAsync(connectionString, $"SELECT count(*) FROM {MessagingModel.OutboxTable}", ct),
        Published = after.Published - before.Published,
        PublishFailures = after.PublishFailures - before.PublishFailures,
        DuplicatesSkipped = after.Duplicates - before.Duplicates,
    };

    /// <summary>Latencies as the consumer stamped them in its effect row (before the effect's own commit), in ms, sorted.</summary>
    private static async Task<double[]> EffectLatenciesAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT extract(epoch FROM effected_at - committed_at)::float8 * 1000 FROM bench_effects ORDER BY 1", connection);
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetDouble(0));
        }
        return [.. values];
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task HardDeadlineAsync(TimeSpan after, Lazy<Task> teardown)
    {
        await Task.Delay(after);
        Console.Error.WriteLine($"Hard deadline of {after.TotalMinutes:0.#} min passed: stopping the servers and exiting.");
        try { await teardown.Value.WaitAsync(TimeSpan.FromSeconds(45)); }
        catch (Exception ex) { Console.Error.WriteLine(ex.Message); }
        Environment.Exit(124);
    }

    internal static void Log(string message) =>
        Console.WriteLine($"[{Stopwatch.GetElapsedTime(Started).TotalSeconds,6:0.0}s] {message}");
}
