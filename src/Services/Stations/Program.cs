using Platform.Stations.Data;
using Platform.ServiceDefaults.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<StationsDb>("stations-db");
builder.AddMessaging<StationsDb>(bus => bus.AddCommunityDirectory<StationsDb>("stations"));

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCommunityDirectory();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
