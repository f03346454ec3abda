using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Platform.Partners.Tests.Http;

/// <summary>What a receiver got: the headers that matter, the body, and whether the stock library accepted the signature.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string ContentType, string Body, bool Verified);

/// <summary>
/// A partner agency's webhook endpoint on loopback: it records every request, verifies each signature with the
/// StandardWebhooks library against the secret it was given, and answers as the test says (down, slow, gone...).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The secrets the receiver trusts (the current one; during a rotation also the previous).</summary>
    public IReadOnlyList<string> Secrets { get; set; } = [];

    /// <summary>How to answer a request (default 200), given how many requests came before it.</summary>
    public Func<int, HttpStatusCode> Answer { get; set; } = _ => HttpStatusCode.OK;

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public Uri Url => new($"{_app.Urls.Single()}/hook");

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    private readonly ConcurrentDictionary<string, byte> _accepted = new();

    /// <summary>Deliveries taken in (answered 2xx with a valid signature), de-duplicated by webhook-id as a receiver should.</summary>
    public int AcceptedCount => _accepted.Count;

    public bool HasAccepted(string webhookId) => _accepted.ContainsKey(webhookId);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var count = 0;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var verified = receiver.Secrets.Any(secret => Verifies(secret, body, request.Headers));
            var webhook = new ReceivedWebhook(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), request.ContentType ?? "", body, verified);
            receiver._received.Enqueue(webhook);
            var status = receiver.Answer(Interlocked.Increment(ref count) - 1);
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }
            if ((int)status is >= 200 and < 300 && verified)
            {
                receiver._accepted.TryAdd(webhook.Id, 0);
            }
            return Results.StatusCode((int)status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>
    /// Verifies with the StandardWebhooks library, one signature at a time: its 1.1.2 release reads only the first of
    /// several space-separated signatures correctly (the last is compared as the whole header), and during a secret
    /// rotation the platform sends two, as the specification allows.
    /// </summary>
    public static bool Verifies(string secret, string body, IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var signature in headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var single = new HeaderDictionary
            {
                ["webhook-id"] = headers["webhook-id"],
                ["webhook-timestamp"] = headers["webhook-timestamp"],
                ["webhook-signature"] = signature,
            };
            try
            {
                new StandardWebhook(secret).Verify(body, single);
                return true;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                // Try the next signature.
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
