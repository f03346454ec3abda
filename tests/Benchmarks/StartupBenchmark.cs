using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Platform.TestSupport;

namespace Platform.Benchmarks;

/// <summary>
/// The README's run command, timed: <c>./run.sh</c> (demo data off, so that loading it does not count) from its start
/// until the app host reports every resource ready, read from the app host's own log (its health monitor logs
/// "Resource 'x' is ready" at debug level), so that measuring adds no polling load to the 2 cores. Then each
/// process's working set after the platform has idled, and a clean stop (Ctrl+C).
/// </summary>
public static partial class StartupBenchmark
{
    private static readonly string[] Resources =
        ["postgres", "rabbitmq", "gateway", "identity", "organizations", "volunteers", "stations", "training", "rights", "partners"];

    private static readonly string[] Processes =
        ["Gateway", "Platform.Identity", "Organizations", "Volunteers", "Stations", "Training", "Rights", "Partners", "AppHost"];

    public static async Task<int> RunAsync(int runs, int idleSeconds)
    {
        Log($"machine: {Machine.Describe()}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var totals = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (total, ready, memory) = await StartOnceAsync(idleSeconds);
            totals.Add(total);
            Log($"run {run}: every resource ready {total:0.0} s after ./run.sh; " +
                string.Join(", ", ready.OrderBy(r => r.Value).Select(r => $"{r.Key} {r.Value:0.0}")));
            if (memory.Count > 0)
            {
                Log($"  idle working set (VmRSS, MB): {string.Join(", ", memory.Select(m => $"{m.Key} {m.Value:0}"))}");
            }
        }
        Log($"run command to every resource ready: {string.Join(" / ", totals.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))} s; " +
            $"median {totals.Order().ElementAt(totals.Count / 2):0.0} s (target 30 s once built)");
        return 0;
    }

    private static async Task<(double Total, Dictionary<string, double> Ready, Dictionary<string, double> Memory)> StartOnceAsync(int idleSeconds)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "run.sh"))
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DemoData__Load"] = "false";
        start.Environment["Logging__LogLevel__Aspire.Hosting.Health"] = "Debug";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var ready = new Dictionary<string, double>();
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null || ReadyLine().Match(line) is not { Success: true } match)
            {
                return;
            }
            lock (ready)
            {
                ready.TryAdd(match.Groups[1].Value, clock.Elapsed.TotalSeconds);
                if (Resources.All(ready.ContainsKey))
                {
                    allReady.TrySetResult();
                }
            }
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await allReady.Task.WaitAsync(TimeSpan.FromMinutes(3));
            var total = clock.Elapsed.TotalSeconds;
            Dictionary<string, double> memory = [];
            if (idleSeconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
                memory = WorkingSets();
            }
            lock (ready)
            {
                return (total, new Dictionary<string, double>(ready.Where(r => Resources.Contains(r.Key))), memory);
            }
        }
        finally
        {
            await StopAsync(process);
        }
    }

    /// <summary>Ctrl+C, as a user stops it: the app host stops every resource (PostgreSQL cleanly) before it exits.</summary>
    private static async Task StopAsync(Process process)
    {
        foreach (var child in Descendants(process.Id).Where(p => Command(p).Contains("src/AppHost", StringComparison.Ordinal)))
        {
            using var interrupt = Process.Start("kill", ["-INT", child.ToString(CultureInfo.InvariantCulture)]);
            await interrupt.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // the servers' last files closed before the next start
    }

    private static Dictionary<string, double> WorkingSets()
    {
        var result = new Dictionary<string, double>();
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            var command = Command(int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture));
            var name = Processes.FirstOrDefault(p => command.Contains($"/net10.0/{p}.dll", StringComparison.Ordinal)
                                                     || command.Contains($"/net10.0/{p}\0", StringComparison.Ordinal));
            if (name is null)
            {
                continue;
            }
            try
            {
                var rss = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                result[name] = double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        return result;
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0 && ParentOf(p) == pid)
            .ToList();
        return children.Concat(children.SelectMany(Descendants));
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline") + "\0";
        }
        catch (IOException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"Resource '([a-z-]+)' is ready\.")]
    private static partial Regex ReadyLine();

    private static void Log(string message) => MessagingBenchmark.Log(message);
}
