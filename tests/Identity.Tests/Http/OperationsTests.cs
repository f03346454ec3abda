using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Identity.Application;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>What keeps the service healthy over time and safe outside local runs.</summary>
public sealed class OperationsTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    [Fact]
    public async Task Expired_tokens_and_old_codes_are_pruned()
    {
        await SignInWorkerAsync(UniquePhone(), scope: "offline_access");
        await SendCodeAsync(UniquePhone());
        Assert.True(await Service.ScalarAsync<long>("SELECT count(*) FROM \"OpenIddictTokens\"") > 0);

        // As if all of it were from before the refresh token's lifetime and the one day kept after expiry (OpenIddict's
        // store compares expiry with the real clock, so the rows are aged rather than the clock moved).
        var age = $"interval '{(TokenServer.RefreshTokenLifetime + TimeSpan.FromDays(2)).TotalDays} days'";
        await Service.ScalarAsync<long>($"WITH u AS (UPDATE \"OpenIddictTokens\" SET \"CreationDate\" = \"CreationDate\" - {age}, \"ExpirationDate\" = \"ExpirationDate\" - {age} RETURNING 1) SELECT count(*) FROM u");
        await Service.ScalarAsync<long>($"WITH u AS (UPDATE phone_codes SET \"IssuedAt\" = \"IssuedAt\" - {age}, \"ExpiresAt\" = \"ExpiresAt\" - {age} RETURNING 1) SELECT count(*) FROM u");
        var housekeeping = Service.Services.GetServices<IHostedService>().OfType<Housekeeping>().Single();
        using var timeout = new CancellationTokenSource(ServiceFactory<Program>.RequestTimeout);
        await housekeeping.PruneAsync(timeout.Token);

        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM \"OpenIddictTokens\""));
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM phone_codes"));
        Assert.Equal(1, await Service.ScalarAsync<long>("SELECT count(*) FROM workers"));
    }

    [Fact]
    public async Task The_api_description_is_published_without_a_token()
    {
        using var response = await Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/phone-codes", body, StringComparison.Ordinal);
        Assert.Contains("/users", body, StringComparison.Ordinal);
        Assert.Contains("/clients", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_and_test_the_service_refuses_to_start_without_an_sms_sender()
    {
        await using var production = new ServiceFactory<Program>(Infrastructure, "identity",
            new Dictionary<string, string> { ["environment"] = "Production" }, JwksPath);
        var failure = await Assert.ThrowsAnyAsync<Exception>(production.StartAsync);
        Assert.Contains("phone-code sender", failure.ToString(), StringComparison.Ordinal);
    }
}
