using System.Net;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Platform.Kubernetes;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// Every service and the gateway start in the Production environment from their built assemblies, each its own
/// process, with exactly the settings their Kubernetes manifests give them (written from the app host's published
/// model, the inputs filled as an operator would, the RabbitMQ and CloudNativePG operators' Secrets as they write
/// them): nothing refuses to run outside Development, nothing a service needs is missing from its manifest, the
/// connection strings the manifests put together reach the servers, and each reports healthy (its database and
/// broker reached).
/// </summary>
public sealed partial class ProductionStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, (string Folder, string Assembly)> Assemblies = new()
    {
        ["identity"] = ("src/Services/Identity", "Platform.Identity.dll"),
        ["organizations"] = ("src/Services/Organizations", "Organizations.dll"),
        ["volunteers"] = ("src/Services/Volunteers", "Volunteers.dll"),
        ["stations"] = ("src/Services/Stations", "Stations.dll"),
        ["training"] = ("src/Services/Training", "Training.dll"),
        ["rights"] = ("src/Services/Rights", "Rights.dll"),
        ["partners"] = ("src/Services/Partners", "Partners.dll"),
        ["gateway"] = ("src/Gateway", "Gateway.dll"),
    };

    private readonly LocalInfrastructure _infrastructure = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"production-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        ClusterManifests.Write(await PublishedManifest.PublishAsync(_folder), Path.Combine(_folder, "kubernetes"));
    }

    public async Task DisposeAsync()
    {
        await _infrastructure.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Every_service_and_the_gateway_start_in_Production_from_their_Kubernetes_manifests()
    {
        var ports = Assemblies.Keys.ToDictionary(s => s, _ => ReservedPorts.Next());
        // What an operator writes into secrets.env and parameters.env, and what the overlay adds (the small city's pool).
        var inputs = new Dictionary<string, string>
        {
            [ClusterManifests.PoolSizeInput] = CitySize.Small.Data.PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["personal-data-key"] = Platform.ServiceDefaults.Security.PersonalDataProtector.NewKey(),
            ["stations-check-in-key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["operator-password"] = "Production-start-operator-1",
            ["sms-gateway-url"] = "https://sms.city.example/v1/messages",
            ["sms-gateway-api-key"] = "not-called-by-this-test",
            ["pod-network"] = "127.0.0.0/8",
            ["public-url"] = TestTokens.Issuer.TrimEnd('/'),
        };
        // What the operators write into their Secrets, for this machine's servers (the databases are the services' names).
        var broker = new Uri(_infrastructure.RabbitMqConnectionString);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_infrastructure.PostgresConnectionString("postgres"));
        var operatorSecrets = new Dictionary<(string, string), string>
        {
            [(ClusterManifests.BrokerUserSecret, "username")] = Uri.UnescapeDataString(broker.UserInfo.Split(':')[0]),
            [(ClusterManifests.BrokerUserSecret, "password")] = Uri.UnescapeDataString(broker.UserInfo.Split(':')[1]),
            [(ClusterManifests.BrokerUserSecret, "host")] = broker.Host,
            [(ClusterManifests.BrokerUserSecret, "port")] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [(ClusterManifests.DatabaseUserSecret, "username")] = database.Username!,
            [(ClusterManifests.DatabaseUserSecret, "password")] = database.Password!,
            [(ClusterManifests.DatabaseUserSecret, "host")] = database.Host!,
            [(ClusterManifests.DatabaseUserSecret, "port")] = database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var started = new List<ServiceProcess>();
        try
        {
            foreach (var (service, (folder, assembly)) in Assemblies)
            {
                var settings = FromManifest(service, inputs, operatorSecrets, ports);
                settings["Logging__LogLevel__Default"] = "Warning";
                started.Add(ServiceProcess.Start(service, ServiceProcess.Built(folder, assembly), ports[service], settings));
            }

            await Task.WhenAll(started.Select(s => s.WaitUntilAsync("/health")));

            // Through the gateway, as an app calls it: a public read reaches a service in Production.
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports["gateway"]}"), Timeout = TimeSpan.FromSeconds(30) };
            using var read = await client.GetAsync(new Uri("/api/stations/stations/nearby?latitude=39.5186&longitude=116.6946", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            output.WriteLine($"healthy in Production from their manifests: {string.Join(", ", started.Select(s => s.Name))}");
        }
        finally
        {
            foreach (var process in started)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>
    /// The environment Kubernetes would give the service's container: its settings ConfigMap, then its env in order
    /// (inputs from the Secret or ConfigMap, the operators' values from their Secrets, <c>$(NAME)</c> expanded), other
    /// services' Service addresses pointed at this test's ports. The environment is the manifest's: none set means
    /// Production.
    /// </summary>
    private Dictionary<string, string> FromManifest(string service, Dictionary<string, string> inputs, Dictionary<(string, string), string> operatorSecrets, Dictionary<string, int> ports)
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(_folder, "kubernetes", "base", $"{service}.yaml")));
        var container = objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        var environment = new Dictionary<string, string>(objects.OfType<V1ConfigMap>().Single().Data);
        foreach (var variable in container.Env)
        {
            var value = variable.ValueFrom switch
            {
                { SecretKeyRef: { } secret } when secret.Name != ClusterManifests.SecretName => operatorSecrets[(secret.Name, secret.Key)],
                { } source => inputs[source.SecretKeyRef?.Key ?? source.ConfigMapKeyRef.Key],
                null => Expansion().Replace(variable.Value, m => environment[m.Groups[1].Value]),
            };
            environment[variable.Name] = ServiceAddress().Replace(value, m => ports.TryGetValue(m.Groups[1].Value, out var port) ? $"http://127.0.0.1:{port}" : m.Value);
        }
        // Every container listens on 8080 in the cluster; here each has a port of its own (ServiceProcess sets it).
        environment.Remove("HTTP_PORTS");
        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Z0-9_]+)\)")]
    private static partial Regex Expansion();

    [GeneratedRegex(@"http://([a-z-]+)(?=/|$)")]
    private static partial Regex ServiceAddress();
}
