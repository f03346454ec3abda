using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Platform.AppHost.Infrastructure;

/// <summary>The broker and the database server every service needs, and a way to add a service's database.</summary>
public sealed record PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Broker,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> AddDatabase)
{
    public const string PostgresName = "postgres";
    public const string BrokerName = "rabbitmq";

    /// <summary>
    /// Containers when a container engine answers; otherwise the locally installed servers as executables
    /// (<c>Platform:Infrastructure</c> = auto | containers | local). Resource names are the same either way.
    /// </summary>
    public static PlatformInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // A deployment brings its own PostgreSQL and RabbitMQ (managed servers, or the cluster operators'): the
            // manifest asks for their connection strings as secret inputs, one per database and one for the broker.
            return new PlatformInfrastructure(builder.AddConnectionString(BrokerName), name => builder.AddConnectionString(name));
        }
        var mode = builder.Configuration["Platform:Infrastructure"] ?? "auto";
        if (mode == "auto")
        {
            mode = ContainerEngineAnswers() ? "containers" : "local";
        }
        var infrastructure = mode switch
        {
            "containers" => AddContainers(builder),
            "local" => AddLocal(builder),
            _ => throw new InvalidOperationException($"Platform:Infrastructure must be auto, containers or local, not '{mode}'."),
        };
        // A service's database given by its connection string (ConnectionStrings:<service>-db) lives there, on a server
        // of the operator's, instead of on the servers the app host runs.
        return infrastructure with
        {
            AddDatabase = name => string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name))
                ? infrastructure.AddDatabase(name)
                : builder.AddConnectionString(name),
        };
    }

    private static PlatformInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var servers = PostgresServerNames(builder).Select(name => builder.AddPostgres(name).WithDataVolume($"platform-{name}")).ToList();
        var rabbit = builder.AddRabbitMQ(BrokerName).WithManagementPlugin().WithDataVolume("platform-rabbitmq");
        var databases = 0;
        return new PlatformInfrastructure(rabbit, name => servers[databases++ % servers.Count].AddDatabase(name));
    }

    private static PlatformInfrastructure AddLocal(IDistributedApplicationBuilder builder)
    {
        var dataDirectory = DataDirectory(builder);
        var scripts = Path.Combine(builder.AppHostDirectory, "Infrastructure");

        var password = StoredSecret(dataDirectory, "postgres.password");
        var servers = PostgresServerNames(builder).Select(name =>
        {
            // Each server keeps its own data folder.
            var server = builder.AddResource(new LocalPostgresServer(name, dataDirectory, password))
                .WithArgs(Path.Combine(scripts, "postgres.sh"))
                .WithEndpoint(name: LocalPostgresServer.EndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
                .WithEnvironment("PLATFORM_PG_DATA", Path.Combine(dataDirectory, name))
                .WithEnvironment(ctx => ctx.EnvironmentVariables["PLATFORM_PG_PASSWORD"] = ((LocalPostgresServer)ctx.Resource).Password)
                .WithIconName("DatabaseStack");
            AddPostgresLifecycle(builder, server.Resource);
            return server;
        }).ToList();
        var databases = 0;

        var rabbitData = Path.Combine(dataDirectory, "rabbitmq");
        var rabbit = builder.AddResource(new LocalRabbitMqServer(BrokerName, dataDirectory, StoredSecret(dataDirectory, "rabbitmq.password")))
            .WithArgs(Path.Combine(scripts, "rabbitmq.sh"))
            .WithEndpoint(name: LocalRabbitMqServer.EndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(name: "dist", scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithHttpEndpoint(name: LocalRabbitMqServer.ManagementEndpointName, env: "RABBITMQ_MANAGEMENT_PORT", isProxied: false)
            .WithEnvironment("PLATFORM_RABBITMQ_DATA", rabbitData)
            // The node name must stay the same for the same data folder (it names the Mnesia directory) and differ
            // between folders, so a test run's node never collides with the developer's running one.
            .WithEnvironment("PLATFORM_RABBITMQ_NODENAME", $"platform-{ShortHash(rabbitData)}@localhost")
            .WithEnvironment(ctx => ctx.EnvironmentVariables["PLATFORM_RABBITMQ_PASSWORD"] = ((LocalRabbitMqServer)ctx.Resource).Password)
            .WithUrlForEndpoint(LocalRabbitMqServer.ManagementEndpointName, url => url.DisplayText = "RabbitMQ management")
            .WithIconName("BranchFork");
        AddBrokerHealthCheck(builder, rabbit.Resource);

        return new PlatformInfrastructure(rabbit, name => AddLocalDatabase(builder, servers[databases++ % servers.Count], name));
    }

    /// <summary>
    /// The PostgreSQL servers the app host runs: one by default; <c>Platform:PostgresServers=N</c> runs N ("postgres",
    /// "postgres-2", ...), the services' databases spread over them in turn, as a city may spread them over machines.
    /// </summary>
    private static List<string> PostgresServerNames(IDistributedApplicationBuilder builder)
    {
        var count = builder.Configuration.GetValue("Platform:PostgresServers", 1);
        if (count < 1)
        {
            throw new InvalidOperationException($"Platform:PostgresServers must be 1 or more, not {count}.");
        }
        return [.. Enumerable.Range(1, count).Select(n => n == 1 ? PostgresName : $"{PostgresName}-{n}")];
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalDatabase(
        IDistributedApplicationBuilder builder, IResourceBuilder<LocalPostgresServer> server, string name)
    {
        var database = new LocalPostgresDatabase(name, server.Resource);
        var check = $"{name}_check";
        builder.AddPromptCheck(check, ct => CanQueryAsync(database, ct));
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new ResourcePropertySnapshot(CustomResourceKnownProperties.Source, server.Resource.Name)],
            })
            .WithHealthCheck(check)
            .WithIconName("Database");
    }

    /// <summary>Ready means a real connection runs a query; once ready, the services' databases are created.</summary>
    private static void AddPostgresLifecycle(IDistributedApplicationBuilder builder, LocalPostgresServer server)
    {
        var check = $"{server.Name}_check";
        builder.AddPromptCheck(check, ct => CanQueryAsync(server, ct));
        builder.CreateResourceBuilder(server).WithHealthCheck(check);

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (ready, ct) =>
        {
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            var connectionString = await server.ConnectionStringExpression.GetValueAsync(ct);
            await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Timeout=10");
            await connection.OpenAsync(ct);
            foreach (var database in builder.Resources.OfType<LocalPostgresDatabase>().Where(d => d.Parent == server))
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", database.DatabaseName);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    // Identifiers cannot be parameters; the name is ours (a resource name), quoted.
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
                    await create.ExecuteNonQueryAsync(ct);
                }
                // A database is not a process: it runs once it exists on a running server (its health check then decides ready).
                await notifications.PublishUpdateAsync(database, s => s with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });
    }

    private static async Task<HealthCheckResult> CanQueryAsync(IResourceWithConnectionString resource, CancellationToken ct)
    {
        try
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct);
            if (connectionString is null)
            {
                return HealthCheckResult.Unhealthy("No connection string yet.");
            }
            var suffix = resource is LocalPostgresServer ? ";Database=postgres" : "";
            await using var connection = new NpgsqlConnection(connectionString + suffix + ";Timeout=3;Pooling=false");
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }

    private static void AddBrokerHealthCheck(IDistributedApplicationBuilder builder, LocalRabbitMqServer broker)
    {
        var check = $"{broker.Name}_check";
        builder.AddPromptCheck(check, async ct =>
        {
            try
            {
                var connectionString = await broker.ConnectionStringExpression.GetValueAsync(ct);
                var factory = new ConnectionFactory { Uri = new Uri(connectionString!), RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
                await using var connection = await factory.CreateConnectionAsync("apphost-health", ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        builder.CreateResourceBuilder(broker).WithHealthCheck(check);
    }

    /// <summary>Local data lives in one folder: the repository's <c>.data</c> unless <c>Platform:DataDirectory</c> names another.</summary>
    public static string DataDirectory(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Platform:DataDirectory"];
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", ".data"))
            : Path.GetFullPath(configured);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// A secret (a key) the services share. Run locally: generated on first use and kept in the data folder with the
    /// data it protects, so restarts reuse it and a fresh data folder gets a fresh one. Published: a secret parameter
    /// named <paramref name="parameter"/>, which the deployment fills (never a value in the manifest).
    /// </summary>
    public static ReferenceExpression SharedSecret(IDistributedApplicationBuilder builder, string parameter, string fileName, Func<string> generate)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var secret = builder.AddParameter(parameter, secret: true);
            return ReferenceExpression.Create($"{secret}");
        }
        var value = StoredSecret(DataDirectory(builder), fileName, generate);
        return ReferenceExpression.Create($"{value}");
    }

    /// <summary>A password generated on first use and kept with the data it protects, so restarts reuse it.</summary>
    private static string StoredSecret(string dataDirectory, string fileName, Func<string>? generate = null)
    {
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var secret = generate?.Invoke() ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secret;
    }

    private static string ShortHash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10].ToLowerInvariant();

    private static bool ContainerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (docker is null)
            {
                return false;
            }
            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }
            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}
