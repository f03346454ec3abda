using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Platform.Partners.Domain;

namespace Platform.Partners.Application;

/// <summary>What one attempt got back.</summary>
public sealed record SendResult(int? StatusCode, int LatencyMs, string? Error);

/// <summary>
/// Posts signed CloudEvents to callbacks. Its own HTTP handler: every connection goes through
/// <see cref="CallbackGuard"/> after DNS resolution, redirects are not followed (a redirect could point inside), no
/// proxy, no cookies; retries are the delivery schedule's business, not the HTTP client's.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public WebhookSender(CallbackGuard guard, TimeProvider clock)
    {
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 64,
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await guard.ResolveAsync(context.DnsEndPoint.Host, ct);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("LangfangGigPlatform-Webhooks/1.0");
    }

    public async Task<SendResult> SendAsync(string callbackUrl, string webhookId, string body, IReadOnlyList<string> secrets, TimeSpan timeout, CancellationToken ct)
    {
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, CloudEvent.ContentType),
        };
        request.Headers.Add(WebhookSignature.IdHeader, webhookId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(webhookId, timestamp, body, secrets));

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return new SendResult((int)response.StatusCode, Elapsed(watch), response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(null, Elapsed(watch), $"No answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            var refused = FindRefusal(ex);
            return new SendResult(null, Elapsed(watch), refused?.Message ?? $"Connection failed: {ex.HttpRequestError}.");
        }
    }

    private static CallbackRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is CallbackRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    public void Dispose() => _http.Dispose();
}
