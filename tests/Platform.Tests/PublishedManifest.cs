using System.Diagnostics;
using Platform.TestSupport;

namespace Platform.Tests;

/// <summary>The app host's deployment manifest, published as the README says (<c>--publisher manifest</c>), from the Release build.</summary>
public static class PublishedManifest
{
    /// <summary>Publishes into <paramref name="folder"/> (its <c>data</c> subfolder is where a local run would keep its data) and returns the JSON.</summary>
    public static async Task<string> PublishAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "manifest.json");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "src", "AppHost", "bin", "Release", "net10.0", "AppHost.dll"));
        foreach (var argument in new[] { "--publisher", "manifest", "--output-path", path })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Platform__DataDirectory"] = Path.Combine(folder, "data");
        using var publisher = Process.Start(start)!;
        var output = publisher.StandardOutput.ReadToEndAsync();
        var errors = publisher.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await publisher.WaitForExitAsync(timeout.Token);
        if (publisher.ExitCode != 0)
        {
            throw new InvalidOperationException($"The publisher failed ({publisher.ExitCode}): {await output}{await errors}");
        }
        return await File.ReadAllTextAsync(path);
    }
}
