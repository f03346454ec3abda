using Platform.Identity.Apis;
using Platform.Identity.Application;
using Platform.Identity.Data;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Behind a TLS-terminating ingress and the gateway: the scheme the token server checks is the client's.
builder.Services.AddForwardedHeadersFromKnownProxies(builder.Configuration);
builder.AddServiceDatabase<IdentityDb>("identity-db");
builder.AddPersonalDataProtection();
builder.AddTokenServer();
builder.AddPhoneCodeSender();

var app = builder.Build();

// The problem answers and the text guard come before authentication, where the token server checks the scheme and
// reads the token form.
app.UseForwardedHeadersFromKnownProxies();
app.UseServiceDefaults();
app.MapDefaultEndpoints();

app.MapTokenApi();
app.MapPhoneCodesApi();
app.MapUsersApi();
app.MapClientsApi();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
