using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.Rights.Apis;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>Every log line the service writes during a test, at every level.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {JsonSerializer.Serialize(state?.ToString())}");
    }
}

/// <summary>What leaves the service: events carry no content and no identity; logs carry no content either.</summary>
public sealed class EventAndLogTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    private const string Secret = "骑手被平台罚款-机密内容";
    private readonly CapturedLogs _logs = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        // Everything, EF Core's SQL and ASP.NET Core's request logs included.
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:MassTransit"] = "Trace",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    [Fact]
    public async Task Opening_and_resolving_publish_events_with_category_channel_district_and_durations_only()
    {
        await using var opened = await ExchangeListener.ForAsync<RightsCaseOpened>(Infrastructure);
        await using var resolved = await ExchangeListener.ForAsync<RightsCaseResolved>(Infrastructure);
        var workerId = Guid.NewGuid();
        var worker = Worker(workerId);
        var receipt = await PostOkAsync<CaseReceipt>(worker, "/cases",
            new { category = "platform-penalty-or-algorithm", urgency = "high", description = Secret, district = "安次区", callbackNumber = "13712345678" },
            System.Net.HttpStatusCode.Created);
        var legal = await RegisterProfessionalAsync("legal");
        await StartWithAsync(receipt.Id, legal);
        Clock.Advance(TimeSpan.FromHours(2));
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{receipt.Id}/resolution", new { summary = Secret + "-resolution" });

        var openedMessage = (await opened.NextAsync(e => Id(e) == receipt.Id)).GetProperty("message");
        Assert.Equal(["caseId", "category", "channel", "district", "openedAt", "urgency"], Names(openedMessage));
        Assert.Equal("platform-penalty-or-algorithm", openedMessage.GetProperty("category").GetString());
        Assert.Equal("app", openedMessage.GetProperty("channel").GetString());
        Assert.Equal("安次区", openedMessage.GetProperty("district").GetString());
        Assert.Equal("high", openedMessage.GetProperty("urgency").GetString());

        var resolvedEnvelope = await resolved.NextAsync(e => Id(e) == receipt.Id);
        var resolvedMessage = resolvedEnvelope.GetProperty("message");
        Assert.Equal(["caseId", "category", "channel", "district", "escalated", "resolvedAt", "timeToFirstResponse", "timeToResolution"], Names(resolvedMessage));
        Assert.False(resolvedMessage.GetProperty("escalated").GetBoolean());
        var toResolution = TimeSpan.Parse(resolvedMessage.GetProperty("timeToResolution").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(toResolution, TimeSpan.FromHours(2), TimeSpan.FromHours(2.1));
        Assert.False(string.IsNullOrEmpty(resolvedMessage.GetProperty("timeToFirstResponse").GetString()));

        foreach (var envelope in new[] { openedMessage.GetRawText(), resolvedEnvelope.GetRawText() })
        {
            Assert.DoesNotContain(Secret, envelope, StringComparison.Ordinal);
            Assert.DoesNotContain(workerId.ToString(), envelope, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(legal.ToString(), envelope, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("13712345678", envelope, StringComparison.Ordinal);
        }
        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Escalation_publishes_RightsCaseResolved_marked_escalated()
    {
        await using var resolved = await ExchangeListener.ForAsync<RightsCaseResolved>(Infrastructure);
        var receipt = await SubmitAsync(Worker(Guid.NewGuid()), Secret);

        await PostOkAsync<CaseSummary>(Supervisor(), $"/cases/{receipt.Id}/escalation", new { partner = "labour-inspection", reason = "欠薪涉及多人" });

        var message = (await resolved.NextAsync(e => Id(e) == receipt.Id)).GetProperty("message");
        Assert.True(message.GetProperty("escalated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("timeToFirstResponse").ValueKind);
        Assert.DoesNotContain("欠薪涉及多人", message.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_case_content_or_callback_number_appears_in_any_log_line()
    {
        var worker = Worker(Guid.NewGuid());
        var legal = await RegisterProfessionalAsync("legal", name: "李律师-日志机密");
        var receipt = await SubmitAsync(worker, Secret);
        await StartWithAsync(receipt.Id, legal);
        await PostOkAsync<NoteReceipt>(worker, $"/cases/{receipt.Id}/notes", new { text = Secret + "-note" }, System.Net.HttpStatusCode.Created);
        await PostOkAsync<CaseDetail>(Supervisor(), $"/cases/{receipt.Id}/content-reads", new { reason = "quality review of legal advice" });
        await PostOkAsync<CallView>(Professional(legal), "/hotline/calls", new
        {
            startedAt = Clock.GetUtcNow().AddMinutes(-3), durationSeconds = 120, category = "psychological-support",
            crisis = true, description = Secret + "-crisis", callbackNumber = "13600001234",
        }, System.Net.HttpStatusCode.Created);
        // Refused input is not echoed into logs either.
        using (var bad = await PostAsync(worker, "/cases", new { category = "no-such-category", description = Secret + "-bad" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        }
        await WaitForEmptyOutboxAsync();

        var lines = _logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("Crisis case", StringComparison.Ordinal));
        Assert.True(lines.Count > 20, $"Only {lines.Count} log lines: is capture working?");
        foreach (var line in lines)
        {
            Assert.DoesNotContain("机密", line, StringComparison.Ordinal);
            Assert.DoesNotContain("13600001234", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_case_content_appears_in_any_trace()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue(string.Join(" | ",
                new[] { a.Source.Name, a.DisplayName, a.StatusDescription ?? "" }
                    .Concat(a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))))),
        };
        ActivitySource.AddActivityListener(listener);
        var worker = Worker(Guid.NewGuid());
        var legal = await RegisterProfessionalAsync("legal");
        var receipt = await SubmitAsync(worker, Secret);
        await StartWithAsync(receipt.Id, legal);
        await PostOkAsync<NoteReceipt>(Professional(legal), $"/cases/{receipt.Id}/notes", new { text = Secret + "-note" }, System.Net.HttpStatusCode.Created);
        await GetOkAsync<CaseDetail>(worker, $"/cases/{receipt.Id}");
        await PostOkAsync<CaseSummary>(Professional(legal), $"/cases/{receipt.Id}/resolution", new { summary = Secret + "-resolution" });
        await WaitForEmptyOutboxAsync();

        var all = spans.ToList();
        Assert.Contains(all, s => s.Contains("/cases", StringComparison.Ordinal));
        Assert.Contains(all, s => s.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.DoesNotContain(all, s => s.Contains("机密", StringComparison.Ordinal));
    }

    private static Guid Id(JsonElement envelope) => envelope.GetProperty("message").GetProperty("caseId").GetGuid();

    private static string[] Names(JsonElement message) => [.. message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
