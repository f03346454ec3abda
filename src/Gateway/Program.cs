using Platform.Gateway;
using Platform.Gateway.ApiDocument;
using Platform.Gateway.Ledger;
using Platform.Gateway.Security;
using Platform.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddRequestTimeouts();
builder.Services.AddForwardedHeadersFromKnownProxies(builder.Configuration);
builder.Services.AddGatewayRateLimits(builder.Configuration);
builder.Services.AddAppCors(builder.Configuration);
builder.Services.AddApiDocument();
builder.Services.AddCityLedger();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver()
    // A stopped service refuses at once; a vanished host must not hold the request either.
    .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = TimeSpan.FromSeconds(2));

var app = builder.Build();

// First: everything after it (rate limits, logs) sees the client's address, not the load balancer's.
app.UseForwardedHeadersFromKnownProxies();
app.UseCorrelationId();
app.UseSecurityHeaders();
app.UseRequestDefaults();
app.MapDefaultEndpoints();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseRouting();
app.UseCors();
app.UseRequestBodyLimit();
// Authenticate first so that the rate limiter counts by token; authorize after it so that floods of bad tokens are
// limited too.
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestTimeouts();

app.MapApiDocument();
app.MapCityLedger();
app.MapUnknownPathsToNotFound();
app.MapReverseProxy(proxy =>
{
    proxy.UseProblemDetailsForProxyErrors();
    proxy.UseInstanceFailover();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();

/// <summary>Entry point, visible to the gateway tests.</summary>
public partial class Program;
