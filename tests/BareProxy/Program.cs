using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);
var stations = builder.Configuration["services:stations:http:0"]
               ?? throw new InvalidOperationException("Set services__stations__http__0 to the stations service's address.");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "stations", ClusterId = "stations", Match = new RouteMatch { Path = "/api/stations/{**catch-all}" } }
        .WithTransformPathRemovePrefix("/api/stations")],
    [new ClusterConfig { ClusterId = "stations", Destinations = new Dictionary<string, DestinationConfig> { ["stations"] = new() { Address = stations } } }]);

var app = builder.Build();
app.MapGet("/alive", () => "alive");
app.MapReverseProxy();
app.Run();
