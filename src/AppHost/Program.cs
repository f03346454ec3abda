using Microsoft.Extensions.Configuration;
using Platform.AppHost.Infrastructure;
using Platform.AppHost.Operations;

var builder = DistributedApplication.CreateBuilder(args);

// RabbitMQ and PostgreSQL: containers when a container engine answers, else the locally installed servers.
var infrastructure = PlatformInfrastructure.Add(builder);
var broker = infrastructure.Broker;
// Encrypts personal data at rest in every service; generated once and kept with the local data it protects.
var personalDataKey = PlatformInfrastructure.SharedSecret(builder, "personal-data-key", "personal-data.key",
    () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

// The gateway is the platform's public address and so the issuer of every access token: declared first so that its
// URL can be handed to identity (which issues) and to every service and the gateway itself (which validate).
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .RunBuiltAssembly()
    .WithPromptHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();
var issuer = ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/");

ServiceInstances Service<TProject>(string name, bool messaging = true) where TProject : IProjectMetadata, new()
{
    var database = infrastructure.AddDatabase($"{name}-db");
    var instances = ServiceInstances.Add<TProject>(builder, name, service =>
    {
        service.RunBuiltAssembly()
            .WithReference(database).WaitFor(database);
        if (messaging)
        {
            service.WithReference(broker).WaitFor(broker);
            if (builder.ExecutionContext.IsPublishMode)
            {
                // A cluster's RabbitMQ has several nodes: queues that survive the loss of one.
                service.WithEnvironment("Platform__Messaging__QuorumQueues", "true");
            }
        }
        return service
            .WithPromptHttpHealthCheck("/health")
            // Not behind the orchestrator's proxy: a stopped service must refuse connections at once, so that the
            // gateway answers 503 immediately (the proxy would accept and then hold the request).
            // Ports are allocated at start (not the launch profile's), so a test run never collides with a running platform.
            .WithEndpoint("http", endpoint =>
            {
                endpoint.IsProxied = false;
                endpoint.Port = null;
                endpoint.TargetPort = null;
            })
            // One line per log entry, with the trace id, so console logs can be followed across services.
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithEnvironment("Logging__Console__FormatterOptions__IncludeScopes", "true")
            .WithEnvironment("Platform__PersonalData__Key", personalDataKey)
            .WithEnvironment("Platform__Auth__Issuer", issuer);
    });
    if (messaging)
    {
        // One command per service: its error queues are the service's, whichever instance failed a message.
        instances.First.WithRedriveCommand(broker);
    }
    return instances;
}

// Identity issues the tokens (it publishes no event, so it needs no broker). Each instance validates its own admin
// tokens like every service, against its own JWKS (the keys are shared through the database). The bootstrap operator's
// password goes next to the local data.
// Published, the password is a secret the deployment gives identity and the demo loader alike.
var operatorPassword = builder.ExecutionContext.IsPublishMode ? builder.AddParameter("operator-password", secret: true) : null;
var smsGatewayUrl = builder.ExecutionContext.IsPublishMode ? builder.AddParameter("sms-gateway-url") : null;
var smsGatewayKey = builder.ExecutionContext.IsPublishMode ? builder.AddParameter("sms-gateway-api-key", secret: true) : null;
var identity = Service<Projects.Identity>("identity", messaging: false).Each(instance =>
{
    instance.WithEnvironment("Platform__Auth__KeysAddress", ReferenceExpression.Create($"{instance.GetEndpoint("http")}/.well-known/jwks"));
    if (operatorPassword is null)
    {
        instance.WithEnvironment("Identity__Bootstrap__PasswordFile", Path.Combine(PlatformInfrastructure.DataDirectory(builder), "operator.password"));
    }
    else
    {
        // Published, codes go by text message: the city's SMS gateway (docs/identity.md, "Sending codes").
        instance.WithEnvironment("Identity__Bootstrap__Password", operatorPassword)
            .WithEnvironment("Identity__Sms__Url", smsGatewayUrl!)
            .WithEnvironment("Identity__Sms__ApiKey", smsGatewayKey!);
    }
});

// Every other service fetches identity's signing keys through service discovery (https+http://identity).
ServiceInstances DomainService<TProject>(string name) where TProject : IProjectMetadata, new() =>
    Service<TProject>(name).Each(instance => instance.WithReference(identity));

var organizations = DomainService<Projects.Organizations>("organizations");
var volunteers = DomainService<Projects.Volunteers>("volunteers");
var stations = DomainService<Projects.Stations>("stations");
var training = DomainService<Projects.Training>("training");
var rights = DomainService<Projects.Rights>("rights");
var partners = DomainService<Projects.Partners>("partners");
// Signs the stations' QR check-in codes: the same on every instance and kept across runs (a new key voids posted codes).
var checkInKey = PlatformInfrastructure.SharedSecret(builder, "stations-check-in-key", "stations-check-in.key",
    () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
stations.Each(instance => instance.WithEnvironment("Platform__Stations__CheckInKey", checkInKey));

// The gateway starts with the services instead of after them: it probes each one (active health checks) and answers
// 503 for one that is not up yet, so waiting would only add its own start to the platform's.
ServiceInstances[] services = [identity, organizations, volunteers, stations, training, rights, partners];
foreach (var service in services)
{
    // Every instance: the gateway balances over them and sets a gone one aside.
    gateway.WithReference(service);
}
gateway.WithEnvironment("Platform__Auth__Issuer", issuer);
if (builder.ExecutionContext.IsPublishMode)
{
    // In a cluster the gateway is behind the ingress, and identity behind the gateway: both take the client's address
    // and scheme from the forwarded headers of the cluster's own network, and from no one else (docs/security.md).
    var podNetwork = builder.AddParameter("pod-network");
    gateway.WithEnvironment("Platform__ForwardedHeaders__KnownNetworks__0", podNetwork);
    identity.Each(instance => instance.WithEnvironment("Platform__ForwardedHeaders__KnownNetworks__0", podNetwork));
}
// A deployment tunes the gateway's rate limits from the app host's configuration (Platform:RateLimits:<policy>:<setting>).
foreach (var setting in builder.Configuration.GetSection("Platform:RateLimits").AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
{
    gateway.WithEnvironment($"Platform__RateLimits__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
}

// The demo city (the Langfang report's figures, DemoData:Scale times them), loaded through the services' APIs once the platform is up; it exits when done.
// DemoData:Load=false (e.g. DemoData__Load=false ./run.sh) leaves it to the dashboard's "Load demo data" command.
var demoScale = builder.Configuration.GetValue("DemoData:Scale", 1.0);
var demoCity = builder.AddProject<Projects.DemoCity>("demo-city")
    .RunBuiltAssembly()
    .WithReference(identity.First).WithReference(organizations.First).WithReference(volunteers.First)
    .WithReference(stations.First).WithReference(training.First).WithReference(rights.First)
    .WaitFor(gateway)
    .WithEnvironment("DemoData__Scale", demoScale.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithLoadDemoDataCommand(demoScale)
    .WithProgressInConsole();
if (operatorPassword is null)
{
    demoCity.WithEnvironment("DemoData__OperatorPasswordFile", Path.Combine(PlatformInfrastructure.DataDirectory(builder), "operator.password"));
}
else
{
    demoCity.WithEnvironment("DemoData__OperatorPassword", operatorPassword);
}
foreach (var service in services)
{
    demoCity.WaitFor(service);
}
if (!builder.Configuration.GetValue("DemoData:Load", true))
{
    demoCity.WithExplicitStart();
}

builder.Build().Run();
