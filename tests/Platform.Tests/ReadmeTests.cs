using System.Diagnostics;
using System.Text.RegularExpressions;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// The README's first commands, as a newcomer pastes them into bash: get the operator's token, register a community,
/// read it back from the stations service. Only the address (the test's gateway port instead of 5080) and the data
/// folder differ; a broken snippet (say, one that no longer parses the token answer) fails here.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class ReadmeTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const string ReadmeGateway = "http://localhost:5080";
    private const string CommunityName = "银河北路社区";

    [Fact]
    public async Task The_README_s_first_curl_commands_work_as_pasted()
    {
        var blocks = BashBlock().Matches(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md")))
            .Select(m => m.Groups[1].Value).ToList();
        var token = blocks.Single(b => b.Contains("field()", StringComparison.Ordinal));
        var community = blocks.Single(b => b.Contains("-X POST", StringComparison.Ordinal) && b.Contains("/api/organizations/communities", StringComparison.Ordinal));
        // The README waits a second before the read; a loaded test machine may need longer, so the read is repeated.
        var parts = community.Split("sleep 1", 2);
        Assert.True(parts.Length == 2, "The README's community example no longer waits with 'sleep 1' before reading.");
        var script = $"""
            {token}
            echo "token-length=${"{"}#TOKEN{"}"}"
            {parts[0]}
            echo
            for attempt in $(seq 1 30); do
              read=$({parts[1].Trim()})
              case "$read" in *{CommunityName}*) break ;; esac
              sleep 1
            done
            echo "read=$read"
            """.Replace(ReadmeGateway, platform.Gateway.BaseAddress!.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);

        var workingDirectory = Directory.CreateTempSubdirectory("readme-");
        try
        {
            // Where the README's run command keeps the operator's password.
            Directory.CreateDirectory(Path.Combine(workingDirectory.FullName, ".data"));
            await File.WriteAllTextAsync(Path.Combine(workingDirectory.FullName, ".data", "operator.password"), platform.OperatorPassword);
            var printed = await RunBashAsync(script, workingDirectory.FullName, TimeSpan.FromSeconds(90));
            output.WriteLine(printed);

            var tokenLength = int.Parse(TokenLength().Match(printed).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(tokenLength > 100, $"The README's token command left TOKEN empty or short ({tokenLength} characters):{Environment.NewLine}{printed}");
            Assert.DoesNotContain("\"status\":4", printed, StringComparison.Ordinal);
            var read = printed[printed.LastIndexOf("read=", StringComparison.Ordinal)..];
            Assert.Contains(CommunityName, read, StringComparison.Ordinal);
        }
        finally
        {
            workingDirectory.Delete(recursive: true);
        }
    }

    private static async Task<string> RunBashAsync(string script, string workingDirectory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The README's commands did not finish within {timeout.TotalSeconds:0} s: {await stdout}");
        }
        return $"{await stdout}{await stderr}";
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"token-length=(\d+)")]
    private static partial Regex TokenLength();
}
