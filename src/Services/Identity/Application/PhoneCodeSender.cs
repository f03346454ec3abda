using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Telemetry;

namespace Platform.Identity.Application;

/// <summary>Delivers a one-time code to a phone (an SMS gateway in production).</summary>
public interface IPhoneCodeSender
{
    Task SendAsync(string phone, string code, CancellationToken cancellationToken);
}

/// <summary>
/// The sender of local runs and tests: writes the code to the service log with the phone number masked, so a
/// developer can sign in as a worker without an SMS gateway. Never registered outside Development and Test.
/// The number itself is a classified property: every sink gets its pseudonym (the same for the same number), never it.
/// </summary>
internal sealed partial class LoggedPhoneCodeSender(ILogger<LoggedPhoneCodeSender> logger) : IPhoneCodeSender
{
    public Task SendAsync(string phone, string code, CancellationToken cancellationToken)
    {
        LogCode(logger, code, Mask.Phone(phone), phone);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "One-time sign-in code {Code} for {PhoneMask} (development sender: no SMS is sent)")]
    private static partial void LogCode(ILogger logger, string code, string phoneMask, [PersonalData] string phone);
}

public static class PhoneCodeSenderExtensions
{
    /// <summary>
    /// The SMS gateway sender when <c>Identity:Sms:Url</c> is set (any environment); else the logging sender in
    /// Development and Test. Elsewhere, without a gateway (or another sender registered before this call), the service
    /// refuses to start rather than write codes to the log in production.
    /// </summary>
    public static WebApplicationBuilder AddPhoneCodeSender(this WebApplicationBuilder builder)
    {
        var sms = builder.Configuration.GetSection(SmsGatewayOptions.Section);
        if (sms.Get<SmsGatewayOptions>() is { Url: not null } gateway)
        {
            if (string.IsNullOrWhiteSpace(gateway.ApiKey))
            {
                throw new InvalidOperationException($"{SmsGatewayOptions.Section}:Url is set but {SmsGatewayOptions.Section}:ApiKey is not: the SMS gateway would refuse every code.");
            }
            builder.Services.Configure<SmsGatewayOptions>(sms);
            builder.Services.AddHttpClient<IPhoneCodeSender, SmsGatewayPhoneCodeSender>(client => client.Timeout = gateway.Timeout);
        }
        else if (builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Test"))
        {
            builder.Services.TryAddSingleton<IPhoneCodeSender, LoggedPhoneCodeSender>();
        }
        else if (!builder.Services.Any(s => s.ServiceType == typeof(IPhoneCodeSender)))
        {
            throw new InvalidOperationException(
                $"No phone-code sender: set {SmsGatewayOptions.Section}:Url and {SmsGatewayOptions.Section}:ApiKey (Identity__Sms__Url, Identity__Sms__ApiKey) " +
                "to the city's SMS gateway, or workers could not sign in.");
        }
        return builder;
    }
}
