using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Partners.Data;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Benchmarks;

public sealed record WebhookBenchmarkSettings
{
    /// <summary>Events of the throughput run (published as fast as the bus takes them).</summary>
    public int Events { get; init; } = 20_000;
    /// <summary>Latency run: events per second offered, for this many seconds.</summary>
    public int OfferedRate { get; init; } = 200;
    public int OfferedSeconds { get; init; } = 20;
    /// <summary>Deliveries before measuring: JIT tiering, connections and queues settle.</summary>
    public int Warmup { get; init; } = 30_000;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Partner webhooks end to end on real PostgreSQL and RabbitMQ: an event published on the bus, consumed by the
/// partners service into a delivery row, claimed, signed and posted to a receiver on loopback, the result
/// recorded. Measures deliveries per second, and event-to-delivery p50/p99 at a fixed offered load.
/// </summary>
public static class WebhookBenchmark
{
    private const string HazardReportedType = "cn.langfang.platform.hazard.reported.v1";

    public static async Task<int> RunAsync(WebhookBenchmarkSettings settings)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"settings: {settings}");
        using var deadline = new CancellationTokenSource(settings.Deadline);
        // The service runs in this process; outside a test project its content root must be named.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PARTNERS", Path.Combine(Repository.Root, "src", "Services", "Partners"));
        var infrastructure = new LocalInfrastructure();
        await infrastructure.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(2), deadline.Token);
        try
        {
            await using var receiver = await Receiver.StartAsync();
            await using var partners = new ServiceFactory<PartnersDb>(infrastructure, "partners", new Dictionary<string, string>
            {
                ["Platform:Partners:PollInterval"] = "00:00:00.020",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await partners.StartWithBusAsync();
            using var operatorClient = partners.CreateHttpClient(TestTokens.For(PlatformRoles.Operator));
            (await operatorClient.PutAsync("/allowed-hosts/127.0.0.1", null, deadline.Token)).EnsureSuccessStatusCode();
            (await operatorClient.PostAsJsonAsync("/agencies", new { name = "城管局", clientId = "bench-agency", maxConcurrentDeliveries = 64 }, deadline.Token)).EnsureSuccessStatusCode();
            using var agency = partners.CreateHttpClient(TestTokens.For(PlatformRoles.PartnerAgency, null, (PlatformClaims.ClientId, "bench-agency")));
            (await agency.PostAsJsonAsync("/subscriptions", new { eventTypes = new[] { HazardReportedType }, callbackUrl = receiver.Url }, deadline.Token)).EnsureSuccessStatusCode();
            var bus = partners.Services.GetRequiredService<IBus>();

            // Warm-up: JIT, connections, queues.
            await PublishAsync(bus, settings.Warmup, rate: null, deadline.Token);
            await receiver.WaitForAsync(settings.Warmup, deadline.Token);
            receiver.Reset();

            Console.WriteLine($"throughput: publishing {settings.Events} events as fast as the bus takes them");
            var watch = Stopwatch.StartNew();
            await PublishAsync(bus, settings.Events, rate: null, deadline.Token);
            var published = watch.Elapsed;
            await receiver.WaitForAsync(settings.Events, deadline.Token);
            var total = watch.Elapsed;
            Console.WriteLine($"throughput: {settings.Events} deliveries in {total.TotalSeconds:0.00} s = {settings.Events / total.TotalSeconds:0} deliveries/s " +
                              $"(publishing took {published.TotalSeconds:0.00} s); {receiver.Duplicates} duplicate requests");
            receiver.Reset();

            var count = settings.OfferedRate * settings.OfferedSeconds;
            Console.WriteLine($"latency: {settings.OfferedRate}/s offered for {settings.OfferedSeconds} s");
            await PublishAsync(bus, count, settings.OfferedRate, deadline.Token);
            await receiver.WaitForAsync(count, deadline.Token);
            var latencies = receiver.Latencies();
            Console.WriteLine($"latency: event to delivery p50 {Stats.Percentile(latencies, 0.50):0.0} ms, p99 {Stats.Percentile(latencies, 0.99):0.0} ms, " +
                              $"max {latencies[^1]:0.0} ms over {latencies.Length} deliveries");
            return 0;
        }
        finally
        {
            await infrastructure.DisposeAsync();
        }
    }


    private static async Task PublishAsync(IBus bus, int count, int? rate, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(256);
        for (var i = 0; i < count; i++)
        {
            if (rate is { } perSecond)
            {
                var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
            }
            inFlight.Add(bus.Publish(new HazardReported(Guid.NewGuid(), "manhole-cover", 39.52, 116.70, "广阳区", "urban-management",
                "submitted", DateTimeOffset.UtcNow), ct));
            if (inFlight.Count == 256)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>A partner's endpoint: answers 200 at once and notes when each webhook id first arrived.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private ConcurrentDictionary<string, double> _latencyMs = new();
        private long _duplicates;

        private Receiver(WebApplication app) => _app = app;

        public string Url => $"{_app.Urls.Single()}/hook";
        public long Duplicates => Interlocked.Read(ref _duplicates);

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpRequest request) =>
            {
                var arrived = DateTimeOffset.UtcNow;
                using var body = await JsonDocument.ParseAsync(request.Body);
                var reportedAt = body.RootElement.GetProperty("data").GetProperty("reportedAt").GetDateTimeOffset();
                if (!receiver._latencyMs.TryAdd(request.Headers["webhook-id"].ToString(), (arrived - reportedAt).TotalMilliseconds))
                {
                    Interlocked.Increment(ref receiver._duplicates);
                }
                return Microsoft.AspNetCore.Http.Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async Task WaitForAsync(int count, CancellationToken ct)
        {
            while (_latencyMs.Count < count)
            {
                await Task.Delay(20, ct);
            }
        }

        public double[] Latencies() => [.. _latencyMs.Values.Order()];

        public void Reset()
        {
            _latencyMs = new ConcurrentDictionary<string, double>();
            Interlocked.Exchange(ref _duplicates, 0);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
