using Platform.Communities;
using Platform.Rights;
using Platform.Rights.Apis;
using Platform.Rights.Data;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPersonalDataProtection();
builder.AddServiceDatabase<RightsDb>("rights-db");
builder.AddMessaging<RightsDb>(bus => bus.AddCommunityDirectory<RightsDb>("rights"));
builder.AddRightsProtection();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.UseRateLimiter();
app.MapCommunityDirectory();
app.MapCasesApi();
app.MapCaseWorkflowApi();
app.MapProfessionalsApi();
app.MapHotlineApi();
app.MapAlertsApi();
app.MapActivitiesApi();
app.MapImportsApi();
app.MapStatsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
