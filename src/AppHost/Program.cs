using Platform.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// RabbitMQ and PostgreSQL: containers when a container engine answers, else the locally installed servers.
var infrastructure = PlatformInfrastructure.Add(builder);
var broker = infrastructure.Broker;
// Encrypts personal data at rest in every service; generated once and kept with the local data it protects.
var personalDataKey = PlatformInfrastructure.StoredSecret(builder, "personal-data.key",
    () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

IResourceBuilder<ProjectResource> Service<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var database = infrastructure.AddDatabase($"{name}-db");
    return builder.AddProject<TProject>(name)
        .WithReference(database).WaitFor(database)
        .WithReference(broker).WaitFor(broker)
        .WithHttpHealthCheck("/health")
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
        .WithEnvironment("Platform__PersonalData__Key", personalDataKey);
}

var organizations = Service<Projects.Organizations>("organizations");
var volunteers = Service<Projects.Volunteers>("volunteers");
var stations = Service<Projects.Stations>("stations");
var training = Service<Projects.Training>("training");
var rights = Service<Projects.Rights>("rights");

builder.AddProject<Projects.Gateway>("gateway")
    .WithReference(organizations).WaitFor(organizations)
    .WithReference(volunteers).WaitFor(volunteers)
    .WithReference(stations).WaitFor(stations)
    .WithReference(training).WaitFor(training)
    .WithReference(rights).WaitFor(rights)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
