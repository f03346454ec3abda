using Platform.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.Training;
using Platform.Training.Apis;
using Platform.Training.Data;
using Platform.Training.Events;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPersonalDataProtection();
builder.Services.AddSingleton<TrainingTelemetry>();
builder.AddServiceDatabase<TrainingDb>("training-db");
builder.AddMessaging<TrainingDb>(bus =>
{
    bus.AddCommunityDirectory<TrainingDb>("training");
    bus.AddVenueConsumers();
});

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapCommunityDirectory();
app.MapVenuesApi();
app.MapCoursesApi();
app.MapEnrolmentsApi();
app.MapAttendanceApi();
app.MapCertificatesApi();
app.MapStudyActivitiesApi();
app.MapArticlesApi();
app.MapProgrammesApi();
app.MapStatsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
