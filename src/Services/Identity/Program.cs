using Platform.Identity.Apis;
using Platform.Identity.Data;
using Platform.Identity.Server;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<IdentityDb>("identity-db");
builder.AddPersonalDataProtection();
builder.AddTokenServer();
builder.AddPhoneCodeSender();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTokenApi();
app.MapPhoneCodesApi();
app.MapUsersApi();
app.MapClientsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
