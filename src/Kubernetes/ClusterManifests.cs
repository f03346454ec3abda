using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Platform.Kubernetes;

/// <summary>A city size: how many instances each service may run, and what each may use.</summary>
public sealed record CitySize(string Name, int MinReplicas, int MaxReplicas, string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit)
{
    /// <summary>A city like Langfang (the report's figures): two instances of each service for uptime.</summary>
    public static readonly CitySize Small = new("small-city", 2, 4, "250m", "256Mi", "1", "512Mi")
    {
        Data = new DataServicesSize(BrokerNodes: 3, BrokerCpu: "500m", BrokerMemory: "1Gi", BrokerStorage: "10Gi",
            DatabaseInstances: 2, DatabaseCpu: "1", DatabaseMemory: "2Gi", DatabaseStorage: "10Gi", PoolSize: 10,
            DataDurability: "preferred"),
    };

    /// <summary>Ten times that: more instances, each with more room.</summary>
    public static readonly CitySize Large = new("large-city", 3, 12, "500m", "384Mi", "2", "1Gi")
    {
        Data = new DataServicesSize(BrokerNodes: 3, BrokerCpu: "1", BrokerMemory: "2Gi", BrokerStorage: "20Gi",
            DatabaseInstances: 3, DatabaseCpu: "4", DatabaseMemory: "8Gi", DatabaseStorage: "50Gi", PoolSize: 8,
            DataDurability: "required"),
    };

    public required DataServicesSize Data { get; init; }

    /// <summary>
    /// PostgreSQL's <c>max_connections</c> for this size: every database's service at its most instances, each with a
    /// full pool, and room for the operator, replication and a person with psql.
    /// </summary>
    public int MaxConnections(int databases) => databases * MaxReplicas * Data.PoolSize + 20;
}

/// <summary>
/// The operators' RabbitMQ and PostgreSQL for a city size. Three broker nodes so quorum queues survive the loss of one;
/// PostgreSQL as a primary with streaming standbys; <see cref="PoolSize"/> connections at most per service instance
/// (Npgsql's <c>Maximum Pool Size</c>). Measured at ten times Langfang: 848 MB in PostgreSQL, 15 MB in RabbitMQ
/// (docs/scale.md); the storage leaves room for years of cases and reports. Replication is synchronous (a commit waits
/// for one standby), so a failover loses nothing a client was told was committed; <see cref="DataDurability"/>
/// <c>required</c>: writes wait while no standby answers; <c>preferred</c>: they go on unprotected meanwhile, which a
/// two-instance cluster needs, or losing its one standby would stop the city (docs/scale.md).
/// </summary>
public sealed record DataServicesSize(int BrokerNodes, string BrokerCpu, string BrokerMemory, string BrokerStorage,
    int DatabaseInstances, string DatabaseCpu, string DatabaseMemory, string DatabaseStorage, int PoolSize, string DataDurability);

/// <summary>Where the platform's PostgreSQL and RabbitMQ come from in a cluster.</summary>
public enum DataServices
{
    /// <summary>
    /// Run by the standard operators in the same namespace: a <c>RabbitmqCluster</c> (RabbitMQ Cluster Operator) and a
    /// CloudNativePG <c>Cluster</c> with one <c>Database</c> per service; the connection strings are put together from
    /// the Secrets those operators write.
    /// </summary>
    Operators,

    /// <summary>Servers run elsewhere (managed services): the operator writes every connection string into secrets.env.</summary>
    External,
}

/// <summary>
/// Turns the app host's deployment manifest (<c>--publisher manifest</c>) into a kustomize base and one overlay per
/// city size. The manifest is the only source: every project becomes a Deployment (the demo loader a Job) with the
/// settings the app host gives it, a Service, a HorizontalPodAutoscaler and a PodDisruptionBudget; its inputs become
/// references to a Secret (secret inputs) or a ConfigMap (the others), which each overlay generates from files the
/// operator writes. No secret value is ever written here.
/// </summary>
public static partial class ClusterManifests
{
    public const string SecretName = "platform-secrets";
    public const string ParametersName = "platform-parameters";
    /// <summary>Where every platform container listens (ASP.NET Core's default in containers).</summary>
    public const int ContainerPort = 8080;
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    private const string DemoLoader = "demo-city";
    /// <summary>The platform's public https address (the ingress): the issuer of its tokens.</summary>
    private const string PublicUrl = "public-url";
    /// <summary>The label every object of the platform carries.</summary>
    private const string PartOf = "app.kubernetes.io/part-of: gig-worker-platform";

    /// <summary>The broker's connection string in the model, and the operators' <c>RabbitmqCluster</c>.</summary>
    public const string BrokerName = "rabbitmq";
    /// <summary>The CloudNativePG <c>Cluster</c> holding every service's database.</summary>
    public const string DatabaseClusterName = "postgres";
    /// <summary>The Secret the RabbitMQ Cluster Operator writes for its default user (username, password, host, port).</summary>
    public const string BrokerUserSecret = BrokerName + "-default-user";
    /// <summary>The Secret CloudNativePG writes for the cluster's application owner (username, password, host, port).</summary>
    public const string DatabaseUserSecret = DatabaseClusterName + "-app";
    /// <summary>The role that owns every service's database in the operators' PostgreSQL.</summary>
    public const string DatabaseOwner = "platform";
    /// <summary>The connections one service instance may hold (Npgsql's Maximum Pool Size), set per city size.</summary>
    public const string PoolSizeInput = "database-pool-size";
    private const string DataServicesFile = "data-services.yaml";

    public sealed record Written(IReadOnlyList<string> Files);

    public static Written Write(string manifestJson, string outputDirectory, DataServices dataServices = DataServices.Operators, IReadOnlyList<CitySize>? sizes = null)
    {
        sizes ??= [CitySize.Small, CitySize.Large];
        using var manifest = JsonDocument.Parse(manifestJson);
        var resources = manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.Clone());
        var parameters = resources.Where(r => r.Value.GetProperty("type").GetString() == "parameter.v0")
            .ToDictionary(r => r.Key, r => r.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var s) && s.GetBoolean());
        var projects = resources.Where(r => r.Value.GetProperty("type").GetString() == "project.v0").ToList();
        // The broker's and the databases' connection strings: inputs, or put together from the operators' Secrets.
        var connections = resources.Where(r => r.Value.TryGetProperty("connectionString", out _)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var databases = connections.Where(c => c != BrokerName).Order(StringComparer.Ordinal).Select(DatabaseName).ToList();
        var composed = dataServices == DataServices.Operators ? connections : [];
        var unsupported = resources.Where(r => r.Value.GetProperty("type").GetString() is not ("project.v0" or "parameter.v0")).Select(r => r.Key).ToList();
        if (unsupported.Count > 0)
        {
            throw new InvalidOperationException($"Resources of a kind the cluster manifests do not cover: {string.Join(", ", unsupported)} (publish with the app host's publish mode).");
        }

        var files = new List<string>();
        var baseDirectory = Path.Combine(outputDirectory, "base");
        Directory.CreateDirectory(baseDirectory);
        var baseResources = new List<string>();
        foreach (var (name, project) in projects)
        {
            var objects = new List<object> { SettingsMap(name, project) };
            var container = Container(name, project, parameters, composed);
            if (name == DemoLoader)
            {
                objects.Add(LoaderJob(container));
            }
            else
            {
                objects.Add(Deployment(name, container));
                objects.Add(Service(name));
                objects.Add(Autoscaler(name, CitySize.Small));
                objects.Add(DisruptionBudget(name));
            }
            var file = $"{name}.yaml";
            File.WriteAllText(Path.Combine(baseDirectory, file), string.Join("\n---\n", objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd())) + "\n");
            baseResources.Add(file);
            files.Add(Path.Combine("base", file));
        }
        if (dataServices == DataServices.Operators)
        {
            File.WriteAllText(Path.Combine(baseDirectory, DataServicesFile), DataServicesObjects(databases, CitySize.Small));
            baseResources.Add(DataServicesFile);
            files.Add(Path.Combine("base", DataServicesFile));
        }
        File.WriteAllText(Path.Combine(baseDirectory, "kustomization.yaml"),
            $"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels:\n- pairs:\n    {PartOf}\nresources:\n"
            + string.Concat(baseResources.Select(r => $"- {r}\n")));
        files.Add(Path.Combine("base", "kustomization.yaml"));

        var secretKeys = parameters.Where(p => p.Value && !composed.Contains(p.Key)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var settingKeys = parameters.Where(p => !p.Value).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        foreach (var size in sizes)
        {
            files.AddRange(Overlay(outputDirectory, size, projects.Select(p => p.Key).Where(n => n != DemoLoader).ToList(), secretKeys, settingKeys,
                dataServices == DataServices.Operators ? databases : null));
        }
        return new Written(files);
    }

    // ---- one project ----------------------------------------------------------------------------------------------

    /// <summary>The project's literal settings, as the app host gives them (no reference, no secret).</summary>
    private static V1ConfigMap SettingsMap(string name, JsonElement project)
    {
        var data = Environment(project).Where(e => !References().IsMatch(e.Value)).ToDictionary(e => e.Name, e => e.Value);
        return new V1ConfigMap
        {
            ApiVersion = "v1", Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = $"{name}-settings" },
            Data = new SortedDictionary<string, string>(data, StringComparer.Ordinal),
        };
    }

    private static V1Container Container(string name, JsonElement project, Dictionary<string, bool> parameters, HashSet<string> composed)
    {
        var env = new List<V1EnvVar>();
        var inputs = new SortedSet<string>(StringComparer.Ordinal);
        var operatorValues = new SortedDictionary<string, V1EnvVarSource>(StringComparer.Ordinal);
        foreach (var (key, value) in Environment(project).Where(e => References().IsMatch(e.Value)))
        {
            if (References().Match(value) is { Success: true } connection && connection.Length == value.Length && composed.Contains(connection.Groups["resource"].Value))
            {
                env.Add(new V1EnvVar { Name = key, Value = ComposedConnectionString(connection.Groups["resource"].Value, operatorValues, inputs) });
                continue;
            }
            if (References().Match(value) is { Success: true } whole && whole.Length == value.Length && parameters.ContainsKey(whole.Groups["resource"].Value))
            {
                // The whole value is one input: straight from its Secret or ConfigMap.
                env.Add(new V1EnvVar { Name = key, ValueFrom = InputSource(whole.Groups["resource"].Value, parameters) });
                continue;
            }
            // Inputs inside a longer value come in as variables of their own first; Kubernetes expands $(NAME).
            env.Add(new V1EnvVar { Name = key, Value = References().Replace(value, m => Resolve(m, parameters, inputs)) });
        }
        var inputVariables = inputs.Select(input => new V1EnvVar { Name = InputVariable(input), ValueFrom = InputSource(input, parameters) })
            .Concat(operatorValues.Select(v => new V1EnvVar { Name = v.Key, ValueFrom = v.Value }));
        return new V1Container
        {
            Name = name,
            Image = $"platform-{name}",
            Ports = [new V1ContainerPort { ContainerPort = ContainerPort, Name = "http" }],
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = $"{name}-settings" } }],
            Env = [.. inputVariables, .. env],
            ReadinessProbe = name == DemoLoader ? null : Probe(HealthPath),
            LivenessProbe = name == DemoLoader ? null : Probe(AlivePath, failureThreshold: 6),
            Resources = Resources(CitySize.Small),
            // A writable /tmp for the read-only root file system (.NET writes there); the pod gives it an emptyDir.
            VolumeMounts = [new V1VolumeMount { MountPath = "/tmp", Name = "tmp" }],
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true, AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    private static string Resolve(Match reference, Dictionary<string, bool> parameters, SortedSet<string> inputs)
    {
        var resource = reference.Groups["resource"].Value;
        if (parameters.ContainsKey(resource))
        {
            inputs.Add(resource);
            return $"$({InputVariable(resource)})";
        }
        if (reference.Groups["property"].Value is "bindings.http.targetPort" or "bindings.http.port")
        {
            // Every container listens on the one port its Service and probes use.
            return ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (reference.Groups["property"].Value.StartsWith("bindings.", StringComparison.Ordinal))
        {
            // Another project: its Service's address inside the cluster. The gateway's public address is an input.
            if (!reference.Groups["property"].Value.EndsWith(".url", StringComparison.Ordinal))
            {
                return resource;
            }
            if (resource != "gateway")
            {
                return $"http://{resource}";
            }
            inputs.Add(PublicUrl);
            return $"$({InputVariable(PublicUrl)})";
        }
        throw new InvalidOperationException($"Unsupported reference {reference.Value}.");
    }

    /// <summary>
    /// A connection string put together from what the operators write into their Secrets (the password, the user and
    /// the address are theirs; they are letters, digits and URL-safe base64, so they need no quoting) and the size's
    /// pool. Kubernetes expands the <c>$(NAME)</c> references from the variables declared before it.
    /// </summary>
    private static string ComposedConnectionString(string resource, SortedDictionary<string, V1EnvVarSource> values, SortedSet<string> inputs)
    {
        string From(string secret, string prefix, string key)
        {
            var variable = $"PLATFORM_{prefix}_{key.ToUpperInvariant()}";
            values[variable] = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } };
            return $"$({variable})";
        }
        if (resource == BrokerName)
        {
            return $"amqp://{From(BrokerUserSecret, "RABBITMQ", "username")}:{From(BrokerUserSecret, "RABBITMQ", "password")}@" +
                   $"{From(BrokerUserSecret, "RABBITMQ", "host")}:{From(BrokerUserSecret, "RABBITMQ", "port")}";
        }
        inputs.Add(PoolSizeInput);
        return $"Host={From(DatabaseUserSecret, "POSTGRES", "host")};Port={From(DatabaseUserSecret, "POSTGRES", "port")};Database={DatabaseName(resource)};" +
               $"Username={From(DatabaseUserSecret, "POSTGRES", "username")};Password={From(DatabaseUserSecret, "POSTGRES", "password")};" +
               $"Maximum Pool Size=$({InputVariable(PoolSizeInput)})";
    }

    /// <summary>A service's database in the operators' PostgreSQL: the model's <c>identity-db</c> is the database <c>identity</c>.</summary>
    private static string DatabaseName(string connection) => connection.EndsWith("-db", StringComparison.Ordinal)
        ? connection[..^3]
        : throw new InvalidOperationException($"Connection string {connection} is neither the broker nor a service's database (<service>-db).");

    private static V1EnvVarSource InputSource(string input, Dictionary<string, bool> parameters) =>
        parameters.GetValueOrDefault(input)
            ? new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Key = input, Name = SecretName } }
            : new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = input, Name = ParametersName } };

    private static string InputVariable(string input) => "PLATFORM_INPUT_" + input.ToUpperInvariant().Replace('-', '_');

    private static V1Probe Probe(string path, int failureThreshold = 3) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = failureThreshold,
    };

    private static V1ResourceRequirements Resources(CitySize size) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new ResourceQuantity(size.CpuRequest), ["memory"] = new ResourceQuantity(size.MemoryRequest) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new ResourceQuantity(size.CpuLimit), ["memory"] = new ResourceQuantity(size.MemoryLimit) },
    };

    private static Dictionary<string, string> Labels(string name) => new() { ["app.kubernetes.io/name"] = name };

    private static V1Deployment Deployment(string name, V1Container container) => new V1Deployment
    {
        ApiVersion = "apps/v1", Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Spec = new V1DeploymentSpec
        {
            // No replica count: the autoscaler owns it (from its minimum).
            Selector = new V1LabelSelector { MatchLabels = Labels(name) },
            Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(name) },
                Spec = new V1PodSpec
                {
                    Containers = [container],
                    // The services stop within 5 s of SIGTERM (ServiceDefaults); the rest is the endpoint update.
                    TerminationGracePeriodSeconds = 20,
                    Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
                },
            },
        },
    };

    private static V1Job LoaderJob(V1Container container) => new V1Job
    {
        ApiVersion = "batch/v1", Kind = "Job",
        Metadata = new V1ObjectMeta { Name = DemoLoader, Labels = Labels(DemoLoader) },
        Spec = new V1JobSpec
        {
            BackoffLimit = 3,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(DemoLoader) },
                Spec = new V1PodSpec
                {
                    Containers = [container],
                    RestartPolicy = "OnFailure",
                    Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
                },
            },
        },
    };

    private static V1Service Service(string name) => new()
    {
        ApiVersion = "v1", Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Spec = new V1ServiceSpec
        {
            Selector = Labels(name),
            Ports = [new V1ServicePort { Port = 80, Name = "http", TargetPort = "http" }],
        },
    };

    private static V2HorizontalPodAutoscaler Autoscaler(string name, CitySize size) => new()
    {
        ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { Kind = "Deployment", Name = name, ApiVersion = "apps/v1" },
            MinReplicas = size.MinReplicas,
            MaxReplicas = size.MaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 70 } },
                },
            ],
        },
    };

    private static V1PodDisruptionBudget DisruptionBudget(string name) => new()
    {
        ApiVersion = "policy/v1", Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = Labels(name) } },
    };

    // ---- the operators' RabbitMQ and PostgreSQL ----------------------------------------------------------------------

    /// <summary>
    /// The broker and the database server as the standard operators' resources (their CRDs and controllers installed
    /// in the cluster beforehand, docs/kubernetes.md): a <c>RabbitmqCluster</c>, a CloudNativePG <c>Cluster</c> owned by
    /// <see cref="DatabaseOwner"/>, and one CloudNativePG <c>Database</c> per service, so each service finds its
    /// database made and owned (it creates none itself there).
    /// </summary>
    private static string DataServicesObjects(List<string> databases, CitySize size) =>
        $"""
        apiVersion: rabbitmq.com/v1beta1
        kind: RabbitmqCluster
        metadata:
          name: {BrokerName}
        spec:
          replicas: {size.Data.BrokerNodes}
          resources:
            requests:
              cpu: {size.Data.BrokerCpu}
              memory: {size.Data.BrokerMemory}
            limits:
              cpu: {size.Data.BrokerCpu}
              memory: {size.Data.BrokerMemory}
          persistence:
            storage: {size.Data.BrokerStorage}
        ---
        apiVersion: postgresql.cnpg.io/v1
        kind: Cluster
        metadata:
          name: {DatabaseClusterName}
        spec:
          instances: {size.Data.DatabaseInstances}
          resources:
            requests:
              cpu: "{size.Data.DatabaseCpu}"
              memory: {size.Data.DatabaseMemory}
            limits:
              cpu: "{size.Data.DatabaseCpu}"
              memory: {size.Data.DatabaseMemory}
          storage:
            size: {size.Data.DatabaseStorage}
          bootstrap:
            initdb:
              database: {DatabaseOwner}
              owner: {DatabaseOwner}
          postgresql:
            parameters:
              max_connections: "{size.MaxConnections(databases.Count)}"
            synchronous:
              method: any
              number: 1
              dataDurability: {size.Data.DataDurability}

        """ + string.Concat(databases.Select(database => $"""
        ---
        apiVersion: postgresql.cnpg.io/v1
        kind: Database
        metadata:
          name: {database}-db
        spec:
          name: {database}
          owner: {DatabaseOwner}
          cluster:
            name: {DatabaseClusterName}

        """));

    /// <summary>Requests and limits as a JSON patch value.</summary>
    private static string ResourcesJson(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) =>
        $"{{\"requests\": {{\"cpu\": \"{cpuRequest}\", \"memory\": \"{memoryRequest}\"}}, \"limits\": {{\"cpu\": \"{cpuLimit}\", \"memory\": \"{memoryLimit}\"}}}}";

    /// <summary>The overlay's patches that size the operators' resources.</summary>
    private static string DataServicesPatches(IReadOnlyList<string> databases, CitySize size) =>
        ReplacePatch("rabbitmq.com", "RabbitmqCluster", BrokerName,
            ("/spec/replicas", $"{size.Data.BrokerNodes}"),
            ("/spec/resources", ResourcesJson(size.Data.BrokerCpu, size.Data.BrokerMemory, size.Data.BrokerCpu, size.Data.BrokerMemory)),
            ("/spec/persistence/storage", size.Data.BrokerStorage))
        + ReplacePatch("postgresql.cnpg.io", "Cluster", DatabaseClusterName,
            ("/spec/instances", $"{size.Data.DatabaseInstances}"),
            ("/spec/resources", ResourcesJson(size.Data.DatabaseCpu, size.Data.DatabaseMemory, size.Data.DatabaseCpu, size.Data.DatabaseMemory)),
            ("/spec/storage/size", size.Data.DatabaseStorage),
            ("/spec/postgresql/parameters/max_connections", $"\"{size.MaxConnections(databases.Count)}\""),
            ("/spec/postgresql/synchronous/dataDurability", size.Data.DataDurability));

    /// <summary>One kustomize patch entry: JSON-patch replacements of an object picked by group, kind and name.</summary>
    private static string ReplacePatch(string? group, string kind, string name, params (string Path, string Value)[] replacements) =>
        "- target:\n" + (group is null ? "" : $"    group: {group}\n") + $"    kind: {kind}\n    name: {name}\n  patch: |-\n"
        + string.Concat(replacements.Select(r => $"    - op: replace\n      path: {r.Path}\n      value: {r.Value}\n"));

    // ---- overlays -------------------------------------------------------------------------------------------------

    private static IEnumerable<string> Overlay(string outputDirectory, CitySize size, IReadOnlyList<string> services, IReadOnlyList<string> secretKeys,
        IReadOnlyList<string> settingKeys, IReadOnlyList<string>? operatorDatabases)
    {
        var directory = Path.Combine(outputDirectory, "overlays", size.Name);
        Directory.CreateDirectory(directory);
        var resources = ResourcesJson(size.CpuRequest, size.MemoryRequest, size.CpuLimit, size.MemoryLimit);
        var patches = string.Concat(services.Select(service =>
                ReplacePatch(null, "HorizontalPodAutoscaler", service, ("/spec/minReplicas", $"{size.MinReplicas}"), ("/spec/maxReplicas", $"{size.MaxReplicas}"))
                + ReplacePatch(null, "Deployment", service, ("/spec/template/spec/containers/0/resources", resources))))
            + (operatorDatabases is null ? "" : DataServicesPatches(operatorDatabases, size));
        // With the operators' PostgreSQL the size sets each instance's pool; with external servers their connection
        // strings do (docs/kubernetes.md).
        var poolSize = operatorDatabases is null ? "" : $"\n  literals:\n  - {PoolSizeInput}={size.Data.PoolSize}";
        File.WriteAllText(Path.Combine(directory, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            # {size.Name}: {size.MinReplicas} to {size.MaxReplicas} instances of each service.
            resources:
            - ../../base
            # The generated Secret and ConfigMap belong to the platform like the rest.
            labels:
            - pairs:
                {PartOf}
            # Written by the operator from the .example files beside this one, never committed: the inputs the
            # platform needs (docs/kubernetes.md).
            secretGenerator:
            - name: {SecretName}
              envs:
              - secrets.env
            configMapGenerator:
            - name: {ParametersName}
              envs:
              - parameters.env{poolSize}
            # The images the city built and pushed (docs/kubernetes.md, "Images").
            images:
            {string.Concat(services.Append(DemoLoader).Select(s => $"- name: platform-{s}\n  newName: registry.example.city/platform/{s}\n  newTag: latest\n"))}patches:
            {patches}
            """);
        File.WriteAllText(Path.Combine(directory, "secrets.env.example"),
            "# One line per secret input: KEY=value. Copy to secrets.env (never commit it) and fill in.\n"
            + string.Concat(secretKeys.Select(k => $"{k}=\n")));
        File.WriteAllText(Path.Combine(directory, "parameters.env.example"),
            "# One line per setting: KEY=value. Copy to parameters.env and fill in.\n"
            + $"{PublicUrl}=https://platform.example.city\n" + string.Concat(settingKeys.Select(k => $"{k}=\n")));
        string[] files = ["kustomization.yaml", "secrets.env.example", "parameters.env.example"];
        return files.Select(f => Path.Combine("overlays", size.Name, f));
    }

    // ---- the manifest ---------------------------------------------------------------------------------------------

    /// <summary>
    /// The settings the app host gives a project, as a cluster needs them: without the https addresses of the others
    /// (inside the cluster the services speak plain HTTP; TLS ends at the ingress) and without ASP.NET Core's own
    /// forwarded-headers switch, which trusts the headers from anyone (the platform trusts only the proxies it is told
    /// about: <c>Platform:ForwardedHeaders</c>).
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Environment(JsonElement project) =>
        project.TryGetProperty("env", out var env)
            ? env.EnumerateObject().Select(e => (e.Name, Value: e.Value.GetString() ?? ""))
                .Where(e => !e.Value.Contains(".bindings.https.", StringComparison.Ordinal) && e.Name != "ASPNETCORE_FORWARDEDHEADERS_ENABLED")
            : [];

    /// <summary>A manifest reference: <c>{resource.property}</c>, e.g. <c>{identity-db.connectionString}</c>.</summary>
    [GeneratedRegex(@"\{(?<resource>[a-z0-9-]+)\.(?<property>[A-Za-z0-9.]+)\}")]
    private static partial Regex References();

}
