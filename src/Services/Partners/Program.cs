using Platform.Contracts;
using Platform.Partners;
using Platform.Partners.Apis;
using Platform.Partners.Application;
using Platform.Partners.Data;
using Platform.Partners.Events;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<PartnersDb>("partners-db");
// Signing secrets are kept encrypted with the same kit as personal data.
builder.AddPersonalDataProtection();
builder.AddMessaging<PartnersDb>(bus =>
{
    bus.AddPublicEventConsumers();
    bus.AddConsumer<RightsCaseOpenedCounter>();
    bus.AddConsumer<RightsCaseResolvedCounter>();
});
builder.Services.AddOptions<PartnersOptions>().BindConfiguration("Platform:Partners");
builder.Services.AddSingleton<AllowedHostList>();
builder.Services.AddSingleton<CallbackGuard>();
builder.Services.AddSingleton<WebhookSender>();
builder.Services.AddSingleton<PartnersTelemetry>();
builder.Services.AddHostedService<DeliveryWorker>();
builder.Services.AddHostedService<MonthlyRightsReports>();
builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(PartnersTelemetry.MeterName));

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapCatalogueApi();
app.MapAgenciesApi();
app.MapAllowedHostsApi();
app.MapSubscriptionsApi();
app.MapDeliveriesApi();
app.MapReportsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
