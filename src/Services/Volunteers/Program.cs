using Platform.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.Volunteers;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Application;
using Platform.Volunteers.Data;
using Platform.Volunteers.Events;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<VolunteersDb>("volunteers-db");
builder.AddMessaging<VolunteersDb>(bus =>
{
    bus.AddCommunityDirectory<VolunteersDb>("volunteers");
    bus.AddConsumer<EnterpriseCopyConsumer>().Endpoint(e => e.Name = "volunteers-enterprise-copy");
});
builder.AddPersonalDataProtection();
builder.Services.AddOptions<HazardIntakeOptions>().BindConfiguration("Volunteers:Hazards");
builder.Services.AddScoped<HazardIntake>();
builder.Services.AddOptions<MeritReviewOptions>().BindConfiguration("Volunteers:MeritReview");
builder.Services.AddSingleton<VolunteersTelemetry>();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapCommunityDirectory();
app.MapWorkersApi();
app.MapReportInsApi();
app.MapHazardReportsApi();
app.MapHazardImportsApi();
app.MapHazardRoutesApi();
app.MapOpen311Api();
app.MapVanguardTeamsApi();
app.MapServiceLogsApi();
app.MapServiceHoursApi();
app.MapMeritReviewApi();
app.MapStatsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
