using System.Text.RegularExpressions;
using Platform.TestSupport;

namespace Platform.Tests;

/// <summary>
/// Every service has the same folders, and its layers depend one way (docs/architecture.md, "Inside a service"):
/// Domain on nothing of the service, Data on Domain, Application on both; only Apis and Events, the doors, use them all.
/// </summary>
public sealed partial class ServiceLayoutTests
{
    private static readonly string[] Folders = ["Apis", "Application", "Data", "Domain", "Events", "Properties"];

    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Domain"] = [],
        ["Data"] = ["Domain"],
        ["Application"] = ["Domain", "Data"],
    };

    public static TheoryData<string> Services() => [.. ServiceFolders().Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_has_only_the_folders_of_the_layout(string service)
    {
        var folders = Directory.GetDirectories(Path.Combine(ServicesRoot, service))
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj"))
            .ToList();
        Assert.Empty(folders.Except(Folders));
        Assert.Contains("Apis", folders);
        Assert.Contains("Domain", folders);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Domain_data_and_application_depend_one_way(string service)
    {
        var wrong = new List<string>();
        foreach (var (layer, allowed) in MayUse)
        {
            var folder = Path.Combine(ServicesRoot, service, layer);
            if (!Directory.Exists(folder))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/Migrations/", StringComparison.Ordinal)))
            {
                var used = ServiceNamespace().Matches(File.ReadAllText(file))
                    .Where(m => m.Groups["service"].Value == service)
                    .Select(m => m.Groups["layer"].Value)
                    .Where(l => l != layer && !allowed.Contains(l))
                    .Distinct();
                wrong.AddRange(used.Select(l => $"{Path.GetRelativePath(ServicesRoot, file)} uses {l}"));
            }
        }
        Assert.Empty(wrong);
    }

    private static string ServicesRoot => Path.Combine(Repository.Root, "src", "Services");

    private static IEnumerable<string> ServiceFolders() =>
        Directory.GetDirectories(ServicesRoot).Where(d => File.Exists(Path.Combine(d, "Program.cs")));

    [GeneratedRegex(@"\bPlatform\.(?<service>\w+)\.(?<layer>Apis|Application|Data|Domain|Events)\b")]
    private static partial Regex ServiceNamespace();
}
