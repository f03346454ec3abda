using System.Diagnostics;
using Npgsql;

namespace Platform.TestSupport;

/// <summary>
/// One PostgreSQL server run by the app host's own <c>postgres.sh</c> on a reserved port, in a data folder of the test's
/// (created by initdb, or already filled, as a standby's is by <c>pg_basebackup</c>).
/// </summary>
public sealed class LocalPostgresServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;
    private readonly string _logs;
    private Process? _process;

    private LocalPostgresServer(string dataDirectory, string password, string logs)
    {
        DataDirectory = dataDirectory;
        Password = password;
        _logs = logs;
    }

    public string DataDirectory { get; }
    /// <summary>The superuser's (postgres) password.</summary>
    public string Password { get; }
    public int Port { get; private set; }

    /// <summary>A connection string to a database of that name on this server alone.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database};Timeout=10;Command Timeout=30";

    /// <summary>
    /// Starts the server on a reserved port. Reserved ports are not handed to other test processes, but something
    /// outside the tests may still take one between choosing and binding: then the server exits saying so, and it is
    /// started again on another port (its data folder is kept).
    /// </summary>
    /// <param name="logs">The folder for the server's log (named after the data folder).</param>
    public static async Task<LocalPostgresServer> StartAsync(string dataDirectory, string password, string logs)
    {
        var server = new LocalPostgresServer(dataDirectory, password, logs);
        for (var attempt = 1; ; attempt++)
        {
            server.Port = ReservedPorts.Next();
            server._process = InfrastructureScript.Start("postgres.sh", logs, Path.Combine(logs, Path.GetFileName(dataDirectory) + ".log"), new()
            {
                ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PLATFORM_PG_DATA"] = dataDirectory,
                ["PLATFORM_PG_PASSWORD"] = password,
            });
            try
            {
                await server.WaitUntilAcceptingAsync();
                return server;
            }
            catch (ServerExitedException) when (attempt < StartAttempts)
            {
                if (!await InfrastructureScript.ExitedForATakenAddressAsync(server._process, attempt))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Stops the server cleanly (SIGTERM: it finishes its WAL and, as a primary, sends it to its standbys).</summary>
    public Task StopAsync()
    {
        var process = _process;
        _process = null;
        return InfrastructureScript.StopAsync(process);
    }

    /// <summary>Ends the server and every backend at once (SIGKILL), as when its machine dies.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private Task WaitUntilAcceptingAsync() =>
        InfrastructureScript.WaitUntilAcceptingAsync("PostgreSQL", _process, async ct =>
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync(ct);
        }, StartTimeout, _logs);
}
