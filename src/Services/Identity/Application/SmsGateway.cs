using System.Net.Http.Headers;
using System.Net.Http.Json;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Telemetry;

namespace Platform.Identity.Application;

/// <summary>
/// The city's SMS gateway, as identity calls it (docs/identity.md, "Sending codes"): <c>POST {Url}</c> with
/// <c>Authorization: Bearer {ApiKey}</c>, an <c>Idempotency-Key</c> that stays the same across retries, and
/// <c>{"to": "+86…", "template": "sign-in-code", "params": {"code": "123456", "minutes": "5"}}</c>; any 2xx means
/// accepted for delivery.
/// </summary>
public sealed class SmsGatewayOptions
{
    public const string Section = "Identity:Sms";

    /// <summary>The gateway's send address (https in production). Setting it chooses this sender in any environment.</summary>
    public Uri? Url { get; set; }

    /// <summary>The platform's key at the gateway (a secret: from a Secret or a vault, never a config file).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The gateway's name for the approved text ("您的登录验证码为{code}，{minutes}分钟内有效").</summary>
    public string Template { get; set; } = "sign-in-code";

    /// <summary>How long one send may take, retries included; each attempt is bounded by the standard resilience handler.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>The gateway did not accept the message (refused it, or stayed unreachable through the retries).</summary>
public sealed class PhoneCodeNotSentException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Sends the code through the SMS gateway. Timeouts and retries come from the platform's standard resilience handler
/// (Polly: per-attempt timeout, retries with backoff on 5xx, 429 and network errors, circuit breaker); the same
/// Idempotency-Key on every attempt lets the gateway drop a repeat. The number goes in the body only, never in a log
/// (failures are logged with its pseudonym).
/// </summary>
internal sealed partial class SmsGatewayPhoneCodeSender(HttpClient http, Microsoft.Extensions.Options.IOptions<SmsGatewayOptions> options,
    ILogger<SmsGatewayPhoneCodeSender> logger) : IPhoneCodeSender
{
    public async Task SendAsync(string phone, string code, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new SmsMessage("+86" + phone, settings.Template,
                new Dictionary<string, string> { ["code"] = code, ["minutes"] = "5" })),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        request.Headers.Add("Idempotency-Key", Guid.CreateVersion7().ToString());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Network errors, timeouts and an open circuit (Polly's own exceptions) all mean the same to the worker.
            LogNotSent(logger, phone, ex.GetType().Name);
            throw new PhoneCodeNotSentException("The SMS gateway could not be reached.", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                LogNotSent(logger, phone, $"HTTP {(int)response.StatusCode}");
                throw new PhoneCodeNotSentException($"The SMS gateway refused the message ({(int)response.StatusCode}).");
            }
        }
    }

    private sealed record SmsMessage(string To, string Template, Dictionary<string, string> Params);

    // The number is classified: every sink gets its pseudonym, never the number (not even masked).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code for {Phone} not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, [PersonalData] string phone, string reason);
}
