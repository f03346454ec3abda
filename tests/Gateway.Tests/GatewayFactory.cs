using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>
/// The real gateway (its Program and YARP config) on Kestrel, so that body limits, headers and status codes are the
/// real server's, in front of <see cref="FakeServices"/>, trusting <see cref="TestTokens"/> like it trusts identity.
/// </summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string AppOrigin = "https://app.example";
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly FakeServices _services;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public GatewayFactory(FakeServices services, IReadOnlyDictionary<string, string>? settings = null)
    {
        _services = services;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("services:organizations:http:0", _services.OrganizationsUrl);
        builder.UseSetting("services:stations:http:0", _services.StationsUrl);
        builder.UseSetting("services:rights:http:0", _services.ClosedUrl);
        builder.UseSetting("services:volunteers:http:0", _services.ClosedUrl);
        builder.UseSetting("services:training:http:0", _services.HungUrl);
        builder.UseSetting("ReverseProxy:Clusters:training:HttpRequest:ActivityTimeout", "00:00:02");
        builder.UseSetting("Platform:ApiDocument:FetchTimeoutSeconds", "2");
        builder.UseSetting("Platform:Cors:Origins:0", AppOrigin);
        builder.UseSetting("Platform:Auth:Issuer", TestTokens.Issuer);
        builder.ConfigureTestServices(TestTokens.TrustIn);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client over a real socket to the started gateway, optionally with a bearer token.</summary>
    public HttpClient CreateSocketClient(string? accessToken = null)
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address), Timeout = RequestTimeout };
        return accessToken is null ? client : client.WithToken(accessToken);
    }
}

/// <summary>Fake services and one gateway in front of them, shared by the tests of a class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public FakeServices Services { get; private set; } = null!;
    public GatewayFactory Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = await FakeServices.StartAsync();
        Gateway = new GatewayFactory(Services);
        Gateway.CreateSocketClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Services.DisposeAsync();
    }
}
