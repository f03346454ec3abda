using Platform.Rights.Data;
using Platform.ServiceDefaults.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<RightsDb>("rights-db");
builder.AddMessaging<RightsDb>(bus => bus.AddCommunityDirectory<RightsDb>("rights"));

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCommunityDirectory();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
