using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.DemoCity;

/// <summary>
/// An answer of a service: status and JSON body (empty when there is none); Replayed when the service answered from
/// its idempotency store (the write had been done before).
/// </summary>
public sealed record Answer(HttpStatusCode Status, JsonElement Body, bool Replayed = false)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public Guid Id => Body.GetProperty("id").GetGuid();

    /// <summary>The answer when it is a success; otherwise an exception naming what was being done and what the service said.</summary>
    public Answer Expect(string what) =>
        IsSuccess ? this : throw new DemoLoadException($"{what}: {(int)Status} {Status} {Describe()}");

    public string Describe() => Body.ValueKind == JsonValueKind.Undefined ? "" : Body.GetRawText();
}

public sealed class DemoLoadException(string message) : Exception(message);

/// <summary>
/// Calls one service over HTTP with a bearer token. Requests that are safe to repeat (reads, and writes with an
/// Idempotency-Key) are retried on connection failures, 502-504 and short 429s, so a service restarting during the
/// load does not abort it; every call is bounded by the client's timeout.
/// </summary>
public sealed class ServiceClient(HttpClient http, string name)
{
    private const int Attempts = 6;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => name;

    public Task<Answer> GetAsync(string path, string token, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), token, repeatable: true, ct);

    public Task<Answer> PostAsync(string path, object? body, string? token, string? idempotencyKey, CancellationToken ct) =>
        SendAsync(() => WithBody(HttpMethod.Post, path, body, idempotencyKey), token, repeatable: idempotencyKey is not null, ct);

    /// <summary>A write whose repetition is harmless (a state change answered 409 the second time).</summary>
    public Task<Answer> PostRepeatableAsync(string path, object? body, string token, CancellationToken ct) =>
        SendAsync(() => WithBody(HttpMethod.Post, path, body, null), token, repeatable: true, ct);

    public Task<Answer> PutAsync(string path, object body, string token, CancellationToken ct) =>
        SendAsync(() => WithBody(HttpMethod.Put, path, body, null), token, repeatable: true, ct);

    public Task<Answer> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, null, repeatable: true, ct);

    private static HttpRequestMessage WithBody(HttpMethod method, string path, object? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    private async Task<Answer> SendAsync(Func<HttpRequestMessage> create, string? token, bool repeatable, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = create();
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            TimeSpan? wait = null;
            try
            {
                using var response = await http.SendAsync(request, ct);
                var retryAfter = response.Headers.RetryAfter?.Delta;
                if (repeatable && attempt < Attempts && Transient(response.StatusCode, retryAfter))
                {
                    wait = retryAfter ?? Backoff(attempt);
                }
                else
                {
                    var text = await response.Content.ReadAsStringAsync(ct);
                    var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                    return new Answer(response.StatusCode, body, response.Headers.Contains("Idempotent-Replayed"));
                }
            }
            catch (HttpRequestException) when (repeatable && attempt < Attempts)
            {
                wait = Backoff(attempt);
            }
            catch (TaskCanceledException) when (repeatable && attempt < Attempts && !ct.IsCancellationRequested)
            {
                // The client's timeout: the service may be restarting.
                wait = Backoff(attempt);
            }
            catch (HttpRequestException ex)
            {
                throw new DemoLoadException($"{name} {request.Method} {request.RequestUri}: {ex.Message}");
            }
            await Task.Delay(wait.Value, ct);
        }
    }

    private static bool Transient(HttpStatusCode status, TimeSpan? retryAfter) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || (status == HttpStatusCode.TooManyRequests && retryAfter is { TotalSeconds: <= 10 });

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
}
