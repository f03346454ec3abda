using Platform.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.Stations;
using Platform.Stations.Apis;
using Platform.Stations.Application;
using Platform.Stations.Data;
using Platform.Stations.Domain;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<StationsDb>("stations-db");
builder.AddMessaging<StationsDb>(bus => bus.AddCommunityDirectory<StationsDb>("stations"));

// Refuse to start without a signing key outside Development/Test (see CheckInKey).
builder.Services.AddSingleton(new CheckInCodes(CheckInKey.From(builder.Configuration, builder.Environment)));
builder.Services.AddSingleton<StationIndex>();
builder.Services.AddOptions<StationIndexOptions>().BindConfiguration("Platform:Stations:Index");
// Registered after the database (whose migrator runs first): the index loads before requests are served.
builder.Services.AddHostedService<StationIndexSync>();
builder.Services.AddScoped<StationChanges>();
builder.Services.AddSingleton<StationsTelemetry>();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapCommunityDirectory();
app.MapStationsApi();
app.MapNearbyApi();
app.MapMapApi();
app.MapZonesApi();
app.MapCheckInsApi();
app.MapSuppliesApi();
app.MapGuestBookApi();
app.MapStatsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
