using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// A PostgreSQL primary and a streaming standby on this machine, as a highly available deployment runs them on two: the
/// standby is a <c>pg_basebackup</c> of the primary with <c>standby.signal</c>, replaying its WAL as it is written, and
/// replication is synchronous: a commit returns only once the standby has it too. Services reach whichever is primary
/// through one multi-host connection string (<see cref="ConnectionString"/>); <see cref="KillPrimary"/> and
/// <see cref="PromoteStandbyAsync"/> are the failover.
/// </summary>
public sealed class LocalPostgresReplication : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"platform-pg-ha-{Guid.NewGuid():N}"[..28]);
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    public LocalPostgresServer Primary { get; private set; } = null!;
    public LocalPostgresServer Standby { get; private set; } = null!;

    /// <summary>
    /// Both servers, the primary wanted (<c>Target Session Attributes=primary</c>): Npgsql tries them in turn and keeps
    /// a connection only to the one that accepts writes. It remembers a host's state for <c>Host Recheck Seconds</c>,
    /// so a promoted standby is tried as primary again within that time.
    /// </summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1:{Primary.Port},127.0.0.1:{Standby.Port};Target Session Attributes=primary;Host Recheck Seconds=2;" +
        $"Username=postgres;Password={_password};Database={database};Timeout=5;Command Timeout=30";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The postgres user must reach the data folders when tests run as root.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        Primary = await LocalPostgresServer.StartAsync(Path.Combine(_root, "primary"), _password, _root);
        await BaseBackupAsync(Path.Combine(_root, "standby"));
        Standby = await LocalPostgresServer.StartAsync(Path.Combine(_root, "standby"), _password, _root);
        await WaitUntilStreamingAsync();
        // Set after the backup, so that the standby (once promoted, alone) does not wait for a standby of its own.
        await ExecuteAsync(Primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
        await ExecuteAsync(Primary, "SELECT pg_reload_conf()");
        await Eventually.Until(ct => ScalarAsync<string?>(Primary, "SELECT sync_state FROM pg_stat_replication LIMIT 1", ct),
            state => state == "sync", "the standby confirming commits synchronously");
    }

    public async Task DisposeAsync()
    {
        if (Standby is not null)
        {
            await Standby.StopAsync();
        }
        if (Primary is not null)
        {
            await Primary.StopAsync();
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The primary's machine dies: the server and all its backends end at once, nothing is shut down cleanly.</summary>
    public void KillPrimary() => Primary.Kill();

    /// <summary>Promotes the standby to primary (what CloudNativePG or an operator does); returns once it accepts writes.</summary>
    public async Task PromoteStandbyAsync()
    {
        Assert.True(await ScalarAsync<bool>(Standby, "SELECT pg_promote(wait => true, wait_seconds => 60)", CancellationToken.None),
            "The standby was not promoted within 60 s.");
        Assert.False(await ScalarAsync<bool>(Standby, "SELECT pg_is_in_recovery()", CancellationToken.None));
    }

    private static Task<T> ScalarAsync<T>(LocalPostgresServer server, string sql, CancellationToken ct) =>
        Sql.ScalarAsync<T>(server.ConnectionString("postgres"), sql, ct);

    private static Task<object?> ExecuteAsync(LocalPostgresServer server, string sql) => ScalarAsync<object?>(server, sql, CancellationToken.None);

    private Task<string?> WaitUntilStreamingAsync() =>
        Eventually.Until(ct => ScalarAsync<string?>(Primary, "SELECT state FROM pg_stat_replication LIMIT 1", ct),
            state => state == "streaming", "the standby streaming from the primary", TimeSpan.FromSeconds(60));

    /// <summary>
    /// Copies the running primary into a new data folder that starts as its standby (<c>-R</c> writes
    /// <c>standby.signal</c> and how to reach the primary), with the WAL needed to become consistent (<c>-X stream</c>).
    /// </summary>
    private async Task BaseBackupAsync(string target)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_basebackup")))
            .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0)
            .LastOrDefault() ?? throw new InvalidOperationException("pg_basebackup not found: run the README's command (it installs postgresql).");
        var start = new ProcessStartInfo(Path.Combine(bin, "pg_basebackup"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-d", $"host=127.0.0.1 port={Primary.Port} user=postgres password={_password}", "-D", target, "-R", "-X", "stream", "-c", "fast" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pg_basebackup.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_basebackup failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
