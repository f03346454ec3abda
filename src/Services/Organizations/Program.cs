using Platform.Organizations.Apis;
using Platform.Organizations.Data;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<OrganizationsDb>("organizations-db");
builder.AddMessaging<OrganizationsDb>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCommunitiesApi();
app.MapEnterprisesApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
