using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Identity.Application;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>
/// A worker signs in with a phone code while every log line is captured at every level: the code reaches the
/// developer through the log (the local sender), the number appears only masked, never as it is.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed partial class LogRedactionTests(LocalInfrastructure infrastructure) : IAsyncLifetime
{
    private readonly string _passwordFile = Path.Combine(Path.GetTempPath(), $"operator-{Guid.NewGuid():N}.password");
    private readonly CapturedLogs _logs = new();
    private ServiceFactory<Program>? _service;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(infrastructure, "identity", new Dictionary<string, string>
        {
            [BootstrapOperator.PasswordFileSetting] = _passwordFile,
            // Everything: OpenIddict's request logs, EF Core's commands, ASP.NET Core's hosting lines.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:OpenIddict"] = "Trace",
        }, IdentityApiTest.JwksPath, services => services.AddSingleton<ILoggerProvider>(_logs));
        await _service.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        File.Delete(_passwordFile);
    }

    [Fact]
    public async Task A_worker_signs_in_with_the_code_from_the_log_and_no_log_line_holds_the_phone_number()
    {
        var phone = "139" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        using var client = _service!.CreateHttpClient();
        using (var sent = await client.PostAsJsonAsync("/phone-codes", new { phone = $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        // As a developer does on a local run: the code is in the log, next to the masked number.
        var line = Assert.Single(_logs.Containing("One-time sign-in code"));
        Assert.Contains(Mask.Phone(phone), line, StringComparison.Ordinal);
        var code = CodeInLine().Match(line).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = PlatformClients.PhoneCodeGrantType, ["client_id"] = PlatformClients.App, ["phone"] = phone, ["code"] = code,
            ["scope"] = "offline_access",
        });
        using var token = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.StatusCode == HttpStatusCode.OK, body);
        var refresh = JsonDocument.Parse(body).RootElement.GetProperty("refresh_token").GetString()!;
        using var refreshForm = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = PlatformClients.App, ["refresh_token"] = refresh,
        });
        using var refreshed = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), refreshForm);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        // The capture is wired and sees the libraries too (the token store marks the code redeemed).
        Assert.NotEmpty(_logs.Containing("OpenIddict"));
        Assert.NotEmpty(_logs.Containing("Microsoft.EntityFrameworkCore"));
        // Any form of the number: as typed, grouped, with the country code, or its last eight digits.
        foreach (var written in new[] { phone, phone[3..], $"{phone[..3]} {phone[3..7]} {phone[7..]}", "86" + phone })
        {
            var found = _logs.Containing(written);
            Assert.True(found.Count == 0, $"The number as \"{written}\" is in the log:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
        }
    }

    [GeneratedRegex(@"One-time sign-in code (\d{6})")]
    private static partial Regex CodeInLine();
}
