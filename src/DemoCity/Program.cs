using System.Diagnostics;
using Platform.DemoCity;

// Loads the demo city (the report's figures, docs/domain.md) into a running platform through the services' APIs, then exits:
// 0 when everything is there, 1 when something could not be loaded (the log says what).
var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureOpenTelemetry();
builder.Services.AddServiceDiscovery();
var options = builder.Configuration.GetSection("DemoData").Get<DemoOptions>() ?? new DemoOptions();

string[] names = ["identity", "organizations", "volunteers", "stations", "training", "rights"];
foreach (var name in names)
{
    builder.Services.AddHttpClient(name, client =>
        {
            // Through service discovery by default (the app host's references); an address in configuration wins.
            client.BaseAddress = new Uri(builder.Configuration[$"DemoData:Services:{name}"] ?? $"http://{name}");
            client.Timeout = TimeSpan.FromSeconds(30);
        })
        .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = options.Parallelism * 2,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        .AddServiceDiscovery();
}

using var host = builder.Build();
var http = host.Services.GetRequiredService<IHttpClientFactory>();
ServiceClient Client(string name) => new(http.CreateClient(name), name);
var services = new PlatformServices(Client("identity"), Client("organizations"), Client("volunteers"), Client("stations"), Client("training"), Client("rights"));
var logger = host.Services.GetRequiredService<ILogger<DemoLoader>>();
var plan = new CityPlan(options.Scale);
var loader = new DemoLoader(services, plan, options, logger);

using var timeout = new CancellationTokenSource(options.LoadTimeout);
using var activity = new ActivitySource("Platform.DemoCity").StartActivity("demo-city load");
try
{
    var summary = await loader.LoadAsync(timeout.Token);
    foreach (var (kind, (created, existing)) in summary.Records.OrderBy(r => r.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"{kind,-30} {created,6} created {existing,6} already there");
    }
    Console.WriteLine($"Demo city loaded (scale {options.Scale}) in {summary.Elapsed.TotalSeconds:F1} s.");
    return 0;
}
catch (Exception ex) when (ex is DemoLoadException or HttpRequestException or OperationCanceledException or IOException)
{
    Console.Error.WriteLine($"Demo city not fully loaded: {ex.Message}");
    return 1;
}
