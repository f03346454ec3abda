using Platform.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddRequestTimeouts();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver()
    // A stopped service refuses at once; a vanished host must not hold the request either.
    .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = TimeSpan.FromSeconds(2));

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseRequestTimeouts();
app.MapReverseProxy(proxy =>
{
    proxy.UseProblemDetailsForProxyErrors();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();

/// <summary>Entry point, visible to the gateway tests.</summary>
public partial class Program;
