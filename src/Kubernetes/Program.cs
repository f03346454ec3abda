using System.Diagnostics;
using Platform.Kubernetes;

// dotnet run --project src/Kubernetes [-- --output deploy/kubernetes] [--manifest manifest.json] [--data-services operators|external]
// Publishes the app host's model (unless --manifest names one already written) and writes the kustomize base and
// the overlays from it. Run from anywhere inside the repository. RabbitMQ and PostgreSQL come from the standard
// operators in the cluster unless --data-services external says the city runs them elsewhere (docs/kubernetes.md).
var output = Option("--output") ?? "deploy/kubernetes";
var manifestFile = Option("--manifest");
if (!Enum.TryParse<DataServices>(Option("--data-services") ?? nameof(DataServices.Operators), ignoreCase: true, out var dataServices)
    || !Enum.IsDefined(dataServices))
{
    Console.Error.WriteLine("--data-services is operators (the RabbitMQ and CloudNativePG operators in the cluster) or external (connection strings in secrets.env).");
    return 2;
}
string manifest;
if (manifestFile is not null)
{
    manifest = await File.ReadAllTextAsync(manifestFile);
}
else
{
    var root = Directory.GetCurrentDirectory();
    while (!File.Exists(Path.Combine(root, "Platform.slnx")))
    {
        if (Path.GetDirectoryName(root) is not { } parent)
        {
            Console.Error.WriteLine("Run inside the repository (no Platform.slnx here or above), or give --manifest.");
            return 2;
        }
        root = parent;
    }
    var temporary = Path.Combine(Path.GetTempPath(), $"platform-manifest-{Guid.NewGuid():N}.json");
    var publish = new ProcessStartInfo("dotnet", ["run", "--project", Path.Combine(root, "src", "AppHost"), "--no-launch-profile", "--",
        "--publisher", "manifest", "--output-path", temporary]) { WorkingDirectory = root };
    using (var publisher = Process.Start(publish)!)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publisher.WaitForExitAsync(timeout.Token);
        if (publisher.ExitCode != 0)
        {
            Console.Error.WriteLine($"The app host could not publish its manifest (exit code {publisher.ExitCode}).");
            return 1;
        }
    }
    manifest = await File.ReadAllTextAsync(temporary);
    File.Delete(temporary);
}

var written = ClusterManifests.Write(manifest, output, dataServices);
Console.WriteLine($"Wrote {written.Files.Count} files to {Path.GetFullPath(output)} (RabbitMQ and PostgreSQL: {dataServices.ToString().ToLowerInvariant()}): " +
    $"kubectl kustomize {Path.Combine(output, "overlays", "small-city")} (after writing secrets.env and parameters.env there).");
return 0;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
