using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.Tests;

/// <summary>
/// The whole platform, started once for the collection by the real app host with the locally installed PostgreSQL and
/// RabbitMQ in a fresh data folder that is removed afterwards.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public static readonly string[] DomainServices = ["organizations", "volunteers", "stations", "training", "rights"];
    public const double DemoScale = 0.01;
    public const int TrainingInstances = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"platform-e2e-{Guid.NewGuid():N}"[..26]);

    private readonly Dictionary<string, List<string>> _logs = [];
    private readonly List<Task> _watchers = [];
    private readonly CancellationTokenSource _stopWatching = new();

    public DistributedApplication App { get; private set; } = null!;
    /// <summary>The gateway, without a token.</summary>
    public HttpClient Gateway { get; private set; } = null!;
    /// <summary>The gateway as the bootstrap operator (a token from identity through the gateway).</summary>
    public HttpClient Operator { get; private set; } = null!;
    /// <summary>The bootstrap operator's password, as a developer reads it: from the data folder.</summary>
    public string OperatorPassword { get; private set; } = "";

    /// <summary>More app host settings for a platform of a collection of its own.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        File.SetUnixFileMode(_dataDirectory, (UnixFileMode)0b111_101_101); // the postgres user must reach it
        using var timeout = new CancellationTokenSource(StartTimeout);
        var (portArguments, endpointPorts) = AppHostPorts.Reserve();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            // The demo city is loaded by the tests that need it (the dashboard command), at a hundredth of the report's scale.
            ["Platform:Infrastructure=local", $"Platform:DataDirectory={_dataDirectory}", "DemoData:Load=false", $"DemoData:Scale={DemoScale}",
             // Every test here signs workers in from one address: the gateway's 5 codes per address per 15 minutes
             // (proven in Gateway.Tests) would refuse the sixth. Raised through the app host, as a deployment would;
             // likewise its 20 token requests per address per 5 minutes.
             "Platform:RateLimits:one-time-code:PermitLimit=100", "Platform:RateLimits:sign-in:PermitLimit=400",
             // The fuzz run sends thousands of requests in seconds, signed in and anonymous: they must reach the services.
             "Platform:RateLimits:per-client:PermitLimit=1000000", "Platform:RateLimits:anonymous-read:PermitLimit=1000000",
             "Platform:RateLimits:public-write:PermitLimit=1000000",
             // Training runs as two instances, as an operator scales a service out (ScaleOutTests).
             $"Platform:Instances:training={TrainingInstances}",
             // The dashboard runs as for an operator (the browser check opens it), on this process's own ports.
             .. portArguments, .. Settings],
            (options, _) => options.DisableDashboard = false,
            timeout.Token);
        // Likewise the rights service's own limit on anonymous case intake (10 a minute per address).
        foreach (var rights in builder.Resources.OfType<ProjectResource>().Where(r => r.Name == "rights" || IsFurtherInstance(r.Name, "rights")))
        {
            builder.CreateResourceBuilder(rights).WithEnvironment("Platform__Rights__AnonymousCasesPerMinute", "1000000");
        }
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        EnsureEndpointsIn(endpointPorts);
        // Resource logs are collected for failure messages and log assertions: watch once instances exist. A service's
        // logs are those of all its instances (training and training-2): either may have handled a request or an event.
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var service in DomainServices.Append("identity").Append("gateway"))
        {
            _logs[service] = [];
            foreach (var instance in model.Resources.Where(r => r.Name == service || IsFurtherInstance(r.Name, service)))
            {
                _watchers.Add(CollectLogsAsync(instance, _logs[service], _stopWatching.Token));
            }
        }
        // The gateway starts alongside the services rather than after them; the tests need them all.
        await Task.WhenAll(DomainServices.Append("partners").Append("identity").Append("gateway").Append("training-2")
            .Select(resource => App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token)));
        Gateway = App.CreateHttpClient("gateway");
        Gateway.Timeout = TimeSpan.FromSeconds(30);

        // Identity wrote it before it started listening, and it is healthy.
        OperatorPassword = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "operator.password"), timeout.Token)).Trim();
        var token = await PasswordTokenAsync("operator", OperatorPassword);
        Operator = App.CreateHttpClient("gateway");
        Operator.Timeout = TimeSpan.FromSeconds(30);
        Operator.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Posts a token request to the gateway's /connect/token; returns the JSON answer, whatever the status.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Body)> TokenRequestAsync(params (string Name, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var response = await Gateway.PostAsync(new Uri("/connect/token", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, System.Text.Json.JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>An access token for a staff user (password grant through the gateway); fails the test when refused.</summary>
    public async Task<string> PasswordTokenAsync(string userName, string password)
    {
        var (status, body) = await TokenRequestAsync(("grant_type", "password"), ("client_id", "platform-app"), ("username", userName), ("password", password));
        if (status != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Password grant for {userName} refused: {(int)status} {body}");
        }
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client of the gateway that sends <paramref name="accessToken"/>.</summary>
    public HttpClient ClientWithToken(string accessToken)
    {
        var client = App.CreateHttpClient("gateway");
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        Operator?.Dispose();
        await _stopWatching.CancelAsync();
        await Task.WhenAll(_watchers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopWatching.Dispose();
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
        }
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Fails the start at once if the app host gave a server a port outside this process's block (the setting that
    /// confines it was ignored): such a port is shared with the other test project's servers and races them.
    /// </summary>
    private void EnsureEndpointsIn((int First, int Last) block)
    {
        var outside = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Select(e => (Resource: r.Name, Endpoint: e)))
            .Where(e => !e.Endpoint.IsProxied)
            .Where(e => e.Endpoint.AllocatedEndpoint is not { } allocated || allocated.Port < block.First || allocated.Port > block.Last)
            .Select(e => $"{e.Resource}/{e.Endpoint.Name}:{e.Endpoint.AllocatedEndpoint?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}")
            .ToList();
        if (outside.Count > 0)
        {
            throw new InvalidOperationException($"Ports outside the reserved block {block.First}-{block.Last}: {string.Join(", ", outside)}.");
        }
    }

    /// <summary>The console log lines of a resource so far that contain the text (for failure messages).</summary>
    public string LogLines(string resource, string containing)
    {
        var lines = _logs[resource];
        lock (lines)
        {
            return string.Join(Environment.NewLine, lines.Where(l => l.Contains(containing, StringComparison.Ordinal)).TakeLast(30));
        }
    }

    /// <summary>Waits (bounded) for a console log line of a resource that contains every one of the given texts.</summary>
    public async Task<string?> FindLogLineAsync(string resource, TimeSpan timeout, params string[] texts)
    {
        var lines = _logs[resource];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (lines)
            {
                var found = lines.FirstOrDefault(l => texts.All(t => l.Contains(t, StringComparison.Ordinal)));
                if (found is not null)
                {
                    return found;
                }
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>Whether <paramref name="resource"/> is the app host's second, third... instance of <paramref name="service"/> ("training-2").</summary>
    private static bool IsFurtherInstance(string resource, string service) =>
        resource.StartsWith(service + "-", StringComparison.Ordinal) && int.TryParse(resource.AsSpan(service.Length + 1), out _);

    private async Task CollectLogsAsync(IResource resource, List<string> into, CancellationToken cancellationToken)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            // By resource (not by name): a project's logs are kept per running instance.
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                lock (into)
                {
                    into.AddRange(batch.Select(l => l.Content));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>
/// A platform of its own for the tests that send malformed requests or break its parts: the fuzz run's requests include
/// some that are valid after all (a hazard route, a station zone, an allowed host), and the fault test restarts the
/// broker and kills a service; neither must change what the other end-to-end tests find. Its databases are spread
/// over two PostgreSQL servers (<c>Platform:PostgresServers=2</c>), as a city may spread them over machines.
/// </summary>
public sealed class StressPlatformFixture : PlatformFixture
{
    public const int PostgresServers = 2;

    protected override IEnumerable<string> Settings => [$"Platform:PostgresServers={PostgresServers}"];
}

[CollectionDefinition(Name)]
public sealed class StressPlatformCollection : ICollectionFixture<StressPlatformFixture>
{
    public const string Name = "stress-platform";
}
