using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Benchmarks;

/// <summary>
/// wrk, the HTTP load tool written in C (Debian package <c>wrk</c>): a load generator much lighter than HttpClient, so
/// on 2 shared cores more of the machine is left to what is measured. Runs it and reads its text report.
/// </summary>
internal static partial class Wrk
{
    public static string Find()
    {
        foreach (var candidate in new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("wrk is not installed: sudo apt-get install -y wrk (see docs/benchmarks.md).");
    }

    /// <summary>
    /// One run of <paramref name="seconds"/> with <paramref name="connections"/> connections on 2 threads, latency
    /// percentiles on; fails on a non-zero exit, and (unless <paramref name="allowErrors"/>) on non-2xx answers or
    /// socket errors.
    /// </summary>
    public static async Task<string> RunAsync(string wrk, int connections, int seconds, IEnumerable<string> arguments, bool allowErrors = false)
    {
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--timeout", "10s", "--latency" }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 || (!allowErrors && (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))))
        {
            throw new InvalidOperationException($"wrk {string.Join(' ', start.ArgumentList)} failed or saw errors:\n{output}{await process.StandardError.ReadToEndAsync(CancellationToken.None)}");
        }
        return output;
    }

    /// <summary>Requests completed and the seconds they took ("  123456 requests in 5.00s, 12.34MB read").</summary>
    public static (double Requests, double Seconds) Summary(string output)
    {
        var summary = SummaryPattern().Match(output);
        if (!summary.Success)
        {
            throw new InvalidOperationException("Unexpected wrk output:\n" + output);
        }
        return (double.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), ParseDuration(summary.Groups[2].Value));
    }

    /// <summary>A latency percentile of the --latency report (50, 75, 90 or 99), in milliseconds.</summary>
    public static double PercentileMs(string output, string which)
    {
        var match = Regex.Match(output, $@"^\s*{which}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"No {which}% line in wrk output:\n" + output);
        }
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * match.Groups[2].Value switch { "us" => 0.001, "ms" => 1, _ => 1000 };
    }

    /// <summary>Answers outside 2xx/3xx ("Non-2xx or 3xx responses: 12"), 0 when wrk printed none.</summary>
    public static long NonSuccess(string output)
    {
        var match = NonSuccessPattern().Match(output);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static double ParseDuration(string text) => text.EndsWith("ms", StringComparison.Ordinal)
        ? double.Parse(text[..^2], CultureInfo.InvariantCulture) / 1000
        : text.EndsWith('m')
            ? double.Parse(text[..^1], CultureInfo.InvariantCulture) * 60
            : double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) requests in ([\d.]+m?s)")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessPattern();
}
