using Platform.Volunteers.Data;
using Platform.ServiceDefaults.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<VolunteersDb>("volunteers-db");
builder.AddMessaging<VolunteersDb>(bus => bus.AddCommunityDirectory<VolunteersDb>("volunteers"));

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCommunityDirectory();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
