using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Platform.TestSupport;

/// <summary>
/// Serves the key of <see cref="TestTokens"/> as a JWKS, for services run as their own processes
/// (<see cref="ServiceProcess"/>): set <c>Platform__Auth__KeysAddress</c> to <see cref="Address"/> and they accept
/// test tokens exactly as they accept the identity service's.
/// </summary>
public sealed class TestKeysServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestKeysServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<TestKeysServer> StartAsync()
    {
        var port = ReservedPorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var rsa = ((RsaSecurityKey)TestTokens.Credentials.Key).Rsa.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = TestTokens.Credentials.Key.KeyId, n = Base64UrlEncoder.Encode(rsa.Modulus), e = Base64UrlEncoder.Encode(rsa.Exponent) },
            },
        });
        app.MapGet("/jwks", () => Microsoft.AspNetCore.Http.Results.Text(jwks, "application/json"));
        await app.StartAsync();
        return new TestKeysServer(app, $"http://127.0.0.1:{port}/jwks");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
