using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using RabbitMQ.Client;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// A real PostgreSQL server and a real RabbitMQ node for tests, started from the app host's own scripts in a fresh
/// temporary folder on free ports, and removed again afterwards. Share one per test collection.
/// </summary>
public sealed class LocalInfrastructure : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"platform-tests-{Guid.NewGuid():N}"[..30]);
    private readonly string _rabbitPassword = Secret();
    private LocalPostgresServer? _postgres;
    private Process? _rabbit;
    private int _rabbitDistPort;
    private int _rabbitManagementPort;

    public int PostgresPort => _postgres?.Port ?? throw new InvalidOperationException("PostgreSQL is not started here.");
    public int RabbitMqPort { get; private set; }

    public string RabbitMqConnectionString => $"amqp://platform:{_rabbitPassword}@127.0.0.1:{RabbitMqPort}";

    /// <summary>RabbitMQ's management API (<c>/api/...</c>) as the broker's user, for tests that look at queues.</summary>
    public HttpClient RabbitMqManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_rabbitManagementPort}"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"platform:{_rabbitPassword}")));
        return client;
    }

    /// <summary>A connection string to a database of that name (created by the service's migrations or by <see cref="CreateDatabaseAsync"/>).</summary>
    public string PostgresConnectionString(string database) =>
        _postgres?.ConnectionString(database) ?? throw new InvalidOperationException("PostgreSQL is not started here.");

    /// <summary>PostgreSQL only, for tests that bring their own broker (a <see cref="LocalRabbitMqCluster"/>).</summary>
    public static LocalInfrastructure WithoutBroker() => new() { WithBroker = false };

    /// <summary>RabbitMQ only, for tests that bring their own database servers (a <see cref="LocalPostgresReplication"/>).</summary>
    public static LocalInfrastructure WithoutPostgres() => new() { WithPostgres = false };

    private bool WithBroker { get; init; } = true;
    private bool WithPostgres { get; init; } = true;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The postgres user must reach the data folder when tests run as root.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        await Task.WhenAll(
            WithPostgres ? StartPostgresAsync() : Task.CompletedTask,
            WithBroker ? StartRabbitMqOnReservedPortsAsync() : Task.CompletedTask);
    }

    public async Task DisposeAsync()
    {
        await StopAsync(_rabbit);
        if (_postgres is not null)
        {
            await _postgres.StopAsync();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Stops the broker (as if it crashed or was restarted), keeping its data.</summary>
    public async Task StopBrokerAsync()
    {
        await StopAsync(_rabbit);
        _rabbit = null;
    }

    /// <summary>Starts the broker again on the same port and data; returns once it accepts connections.</summary>
    public async Task StartBrokerAsync()
    {
        _rabbit = StartRabbitMq();
        await WaitForRabbitMqAsync();
    }

    public async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task StartPostgresAsync() =>
        _postgres = await LocalPostgresServer.StartAsync(Path.Combine(_root, "postgres"), Secret(), _root);

    /// <summary>Starts RabbitMQ on reserved ports (node, distribution, management), on others if one was taken meanwhile.</summary>
    private async Task StartRabbitMqOnReservedPortsAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            RabbitMqPort = ReservedPorts.Next();
            _rabbitDistPort = ReservedPorts.Next();
            _rabbitManagementPort = ReservedPorts.Next();
            _rabbit = StartRabbitMq();
            if (await StartedAsync("RabbitMQ", _rabbit, WaitForRabbitMqAsync, attempt))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits for a server; false (try again on other ports) when it exited because an address or node name was in use,
    /// at most <see cref="StartAttempts"/> times. Any other failure is thrown with the server's log.
    /// </summary>
    private async Task<bool> StartedAsync(string name, Process process, Func<Task> waitForServer, int attempt)
    {
        try
        {
            await waitForServer();
            return true;
        }
        catch (ServerExitedException) when (attempt < StartAttempts)
        {
            if (!await InfrastructureScript.ExitedForATakenAddressAsync(process, attempt))
            {
                throw;
            }
            return false;
        }
    }

    private Process StartRabbitMq() => Start("rabbitmq.sh", new()
    {
        ["RABBITMQ_NODE_PORT"] = RabbitMqPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = _rabbitDistPort.ToString(),
        ["RABBITMQ_MANAGEMENT_PORT"] = _rabbitManagementPort.ToString(),
        ["PLATFORM_RABBITMQ_DATA"] = Path.Combine(_root, "rabbitmq"),
        ["PLATFORM_RABBITMQ_NODENAME"] = $"platform-test-{RabbitMqPort}@localhost",
        ["PLATFORM_RABBITMQ_PASSWORD"] = _rabbitPassword,
    });

    private Process Start(string script, Dictionary<string, string> environment) =>
        InfrastructureScript.Start(script, _root, Path.Combine(_root, Path.ChangeExtension(script, ".log")), environment);

    private async Task WaitForRabbitMqAsync()
    {
        await WaitUntilAsync("RabbitMQ", _rabbit, async ct =>
        {
            var factory = new ConnectionFactory { Uri = new Uri(RabbitMqConnectionString), RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            await using var connection = await factory.CreateConnectionAsync(ct);
        });
    }

    private Task WaitUntilAsync(string name, Process? process, Func<CancellationToken, Task> probe) =>
        InfrastructureScript.WaitUntilAcceptingAsync(name, process, probe, StartTimeout, _root);

    private static Task StopAsync(Process? process) => InfrastructureScript.StopAsync(process);

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
}

/// <summary>A server the tests started ended before it accepted connections.</summary>
public sealed class ServerExitedException(string message) : InvalidOperationException(message);
