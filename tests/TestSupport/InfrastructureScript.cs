using System.Diagnostics;

namespace Platform.TestSupport;

/// <summary>
/// Runs one of the app host's own server scripts (<c>src/AppHost/Infrastructure/*.sh</c>: PostgreSQL, RabbitMQ) for
/// tests, with its output in a log file of its own, and stops it again.
/// </summary>
internal static class InfrastructureScript
{
    /// <summary>Where a process's output goes, kept with the process (the scripts ignore it).</summary>
    private const string LogVariable = "PLATFORM_TEST_LOG";

    public static Process Start(string script, string workingDirectory, string log, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("/bin/bash", [Path.Combine(AppContext.BaseDirectory, "Infrastructure", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.Environment[LogVariable] = log;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {script}.");
        process.OutputDataReceived += (_, e) => AppendLog(log, e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Whether a server that exited during its start did so because its address or node name was taken meanwhile (then
    /// it is started again on others); its log is moved aside for the next attempt.
    /// </summary>
    public static async Task<bool> ExitedForATakenAddressAsync(Process process, int attempt)
    {
        // The exited process's output is all logged once its streams end.
        await process.WaitForExitAsync();
        var log = (string)process.StartInfo.Environment[LogVariable]!;
        var said = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
        if (!said.Contains("already in use", StringComparison.OrdinalIgnoreCase) && !said.Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase)
            && !said.Contains("seems to be in use", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        File.Move(log, $"{log}.attempt{attempt}", overwrite: true);
        return true;
    }

    /// <summary>
    /// Waits until <paramref name="probe"/> succeeds (bounded by <paramref name="timeout"/>, 3 s a try); a server that
    /// exits meanwhile is a <see cref="ServerExitedException"/>.
    /// </summary>
    public static async Task WaitUntilAcceptingAsync(string name, Process? process, Func<CancellationToken, Task> probe, TimeSpan timeout, string logs)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (process is null || process.HasExited)
            {
                throw new ServerExitedException($"{name} exited during start; see the logs in {logs}.");
            }
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(3));
                await probe(attempt.Token);
                return;
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (Exception ex)
            {
                throw new TimeoutException($"{name} did not accept connections within {timeout.TotalSeconds} s; see {logs}.", ex);
            }
        }
    }

    /// <summary>SIGTERM first (both servers shut down cleanly and keep their data on it), then a kill after 20 s.</summary>
    public static async Task StopAsync(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return;
        }
        _ = Posix.Kill(process.Id, Posix.SigTerm);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.Dispose();
    }

    private static void AppendLog(string path, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (path)
        {
            try { File.AppendAllText(path, line + Environment.NewLine); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
