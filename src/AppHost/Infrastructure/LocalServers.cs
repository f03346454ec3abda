using Aspire.Hosting.ApplicationModel;

namespace Platform.AppHost.Infrastructure;

/// <summary>The Debian-installed PostgreSQL server, run as an executable resource when no container engine answers.</summary>
public sealed class LocalPostgresServer(string name, string workingDirectory, string password)
    : ExecutableResource(name, "/bin/bash", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public string Password { get; } = password;
    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}

/// <summary>One service's database on the local PostgreSQL server; created by the app host when the server is ready.</summary>
public sealed class LocalPostgresDatabase(string name, LocalPostgresServer server)
    : Resource(name), IResourceWithParent<LocalPostgresServer>, IResourceWithConnectionString
{
    public LocalPostgresServer Parent { get; } = server;
    public string DatabaseName => Name;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>The Debian-installed RabbitMQ node, run as an executable resource when no container engine answers.</summary>
public sealed class LocalRabbitMqServer(string name, string workingDirectory, string password)
    : ExecutableResource(name, "/bin/bash", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string ManagementEndpointName = "management";

    public string Password { get; } = password;
    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://platform:{Password}@127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}
