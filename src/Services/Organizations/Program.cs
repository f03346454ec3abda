using Platform.Organizations.Apis;
using Platform.Organizations.Application;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.Organizations.Events;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<OrganizationsDb>("organizations-db");
builder.AddMessaging<OrganizationsDb>(bus =>
{
    bus.AddConsumer<WorkerRegisteredConsumer>();
    bus.AddConsumer<WorkerReportedToCommunityConsumer>();
});
builder.Services.AddScoped<MemberPlacements>();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapCommunitiesApi();
app.MapEnterprisesApi();
app.MapOrganizationsApi();
app.MapSupervisionApi();
app.MapMembersApi();
app.MapInspectionsApi();
app.MapAgreementsApi();
app.MapStatsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
