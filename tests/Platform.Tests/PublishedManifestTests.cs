using System.Text.Json;
using Platform.TestSupport;

namespace Platform.Tests;

/// <summary>
/// The app host's deployment manifest (<c>--publisher manifest</c>), the model a cluster's manifests are made from:
/// it carries no secret value and nothing of the machine that wrote it, and it asks the deployment for what the
/// platform needs in production (connection strings, shared keys, the operator's password, the SMS gateway).
/// </summary>
public sealed class PublishedManifestTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}");
    private JsonElement _resources;

    public async Task InitializeAsync()
    {
        using var manifest = JsonDocument.Parse(await PublishedManifest.PublishAsync(_folder));
        _resources = manifest.RootElement.GetProperty("resources").Clone();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private IEnumerable<(string Name, JsonElement Resource)> Resources(string type) =>
        _resources.EnumerateObject().Where(r => r.Value.GetProperty("type").GetString() == type).Select(r => (r.Name, r.Value));

    private static IEnumerable<(string Name, string Value)> Environment(JsonElement resource) =>
        resource.TryGetProperty("env", out var env) ? env.EnumerateObject().Select(e => (e.Name, e.Value.GetString() ?? "")) : [];

    [Fact]
    public void Secrets_are_inputs_the_deployment_fills_never_values_in_the_manifest()
    {
        var secretSettings = Resources("project.v0")
            .SelectMany(p => Environment(p.Resource).Select(e => (Project: p.Name, e.Name, e.Value)))
            .Where(e => e.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                        || e.Name.EndsWith("Key", StringComparison.Ordinal) || e.Name.EndsWith("Password", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(secretSettings, s => s is { Project: "identity", Name: "Identity__Sms__ApiKey" });
        Assert.Contains(secretSettings, s => s is { Project: "stations", Name: "Platform__Stations__CheckInKey" });
        Assert.All(secretSettings, s =>
        {
            // A whole value taken from one parameter ("{personal-data-key.value}"), and that parameter is secret.
            Assert.Matches(@"^\{[a-z0-9-]+\.(value|connectionString)\}$", s.Value);
            var parameter = _resources.GetProperty(s.Value[1..s.Value.IndexOf('.', StringComparison.Ordinal)]);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.True(parameter.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), $"{s.Project} {s.Name}: {s.Value} is not secret");
        });
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), "Publishing wrote to the local data folder.");
    }

    [Fact]
    public void Nothing_of_the_machine_that_wrote_it_is_in_the_manifest()
    {
        // PostgreSQL and RabbitMQ come from the deployment (connection strings), not from this machine's executables.
        Assert.Empty(Resources("executable.v0"));
        foreach (var (name, project) in Resources("project.v0"))
        {
            Assert.False(project.TryGetProperty("args", out var args) && args.EnumerateArray().Any(a => a.GetString()!.StartsWith('/')),
                $"{name} runs a path of this machine: {project}");
            Assert.All(Environment(project), e => Assert.DoesNotContain(Repository.Root, e.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_service_gets_its_database_the_broker_and_the_shared_keys()
    {
        foreach (var service in PlatformFixture.DomainServices.Append("partners"))
        {
            var env = Environment(_resources.GetProperty(service)).ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal($"{{{service}-db.connectionString}}", env[$"ConnectionStrings__{service}-db"]);
            Assert.Equal("{rabbitmq.connectionString}", env["ConnectionStrings__rabbitmq"]);
            Assert.Equal("{personal-data-key.value}", env["Platform__PersonalData__Key"]);
        }
        var identity = Environment(_resources.GetProperty("identity")).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("{operator-password.value}", identity["Identity__Bootstrap__Password"]);
        Assert.Equal("{sms-gateway-url.value}", identity["Identity__Sms__Url"]);
        var loader = Environment(_resources.GetProperty("demo-city")).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("{operator-password.value}", loader["DemoData__OperatorPassword"]);
    }
}
