using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// A small web app with the platform's defaults and pipeline exactly as a service has them (test tokens trusted), on
/// port 0, with the endpoints a test maps; for tests of what every service's pipeline does.
/// </summary>
public sealed class DefaultsApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DefaultsApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public static async Task<DefaultsApp> StartAsync(Action<WebApplication> mapEndpoints)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Platform:Auth:Issuer"] = TestTokens.Issuer;
        builder.AddServiceDefaults();
        TestTokens.TrustIn(builder.Services);
        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        mapEndpoints(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new DefaultsApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
