using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.ServiceDefaults.Security;

namespace Platform.TestSupport;

/// <summary>
/// Runs one platform service (its real <c>Program</c>) on Kestrel, on a free port, against a database of its own on
/// the test PostgreSQL server and against the test RabbitMQ node. The service's migrations create the database.
/// </summary>
/// <remarks>
/// The settings are given with <c>UseSetting</c>: the factory hands host settings to the service's <c>Main</c> as
/// command-line arguments, so <c>builder.Configuration.GetConnectionString</c> sees them while Program.cs is still
/// building (where AddServiceDatabase and AddMessaging read them). No process-wide environment variable is touched,
/// so several services can run side by side in one test process.
/// Kestrel rather than the in-memory TestServer: the request-size limit, headers and status codes are those of the
/// real server.
/// </remarks>
public sealed class ServiceFactory<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan BusTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly LocalInfrastructure _infrastructure;
    private readonly Dictionary<string, string> _settings;
    private readonly string? _ownKeysPath;
    private readonly Action<IServiceCollection>? _configureServices;
    private bool _started;

    /// <param name="serviceName">Short name of the service, e.g. <c>organizations</c>: its connection string is "&lt;name&gt;-db".</param>
    /// <param name="settings">More configuration for this run (e.g. <c>Platform:Outbox:PollInterval</c>).</param>
    /// <param name="ownKeysPath">
    /// For the identity service only: validate access tokens with the keys the service itself publishes at this path
    /// (its real tokens) instead of trusting the test key of <see cref="TestTokens"/>.
    /// </param>
    /// <param name="configureServices">A test hook run after the service's own registrations (e.g. a fake clock).</param>
    /// <param name="restartOf">An earlier instance whose database (and personal-data key) this one takes over: a restart of the service.</param>
    public ServiceFactory(LocalInfrastructure infrastructure, string serviceName, IReadOnlyDictionary<string, string>? settings = null,
        string? ownKeysPath = null, Action<IServiceCollection>? configureServices = null, ServiceFactory<TProgram>? restartOf = null)
    {
        _infrastructure = infrastructure;
        ServiceName = serviceName;
        DatabaseName = restartOf?.DatabaseName ?? $"{serviceName}_{Guid.NewGuid():N}";
        PersonalDataKey = restartOf?.PersonalDataKey ?? PersonalDataProtector.NewKey();
        _settings = settings?.ToDictionary() ?? [];
        _ownKeysPath = ownKeysPath;
        _configureServices = configureServices;
        if (ownKeysPath is null)
        {
            UseKestrel(0);
        }
        else
        {
            // The keys address must be known before the service starts, so the port is chosen here.
            var port = ReservedPorts.Next();
            UseKestrel(port);
            _settings["Platform:Auth:KeysAddress"] = $"http://127.0.0.1:{port}{ownKeysPath}";
        }
    }

    public string ServiceName { get; }

    /// <summary>The key this instance encrypts personal data with (fresh per instance), for tests that read the database.</summary>
    public string PersonalDataKey { get; }

    /// <summary>A fresh database for this instance; nothing else writes to it.</summary>
    public string DatabaseName { get; }

    public string DatabaseConnectionString => _infrastructure.PostgresConnectionString(DatabaseName);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting($"ConnectionStrings:{ServiceName}-db", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:rabbitmq", _infrastructure.RabbitMqConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Platform:Auth:Issuer", TestTokens.Issuer);
        builder.UseSetting(PersonalDataProtector.KeySetting, PersonalDataKey);
        if (_ownKeysPath is null)
        {
            builder.ConfigureTestServices(TestTokens.TrustIn);
        }
        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the service (migrations included) within <see cref="StartTimeout"/>.</summary>
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        // StartServer blocks until the host has started; it takes no token, so the wait on it is bounded instead.
        // It starts without the caller's async-local state: MassTransit keeps its log context there, and a service
        // restarted within one test would otherwise inherit the stopped instance's (disposed) logger factory.
        Task start;
        using (ExecutionContext.SuppressFlow())
        {
            start = Task.Run(StartServer, timeout.Token);
        }
        await start.WaitAsync(timeout.Token);
        _started = true;
    }

    /// <summary>
    /// Waits until the service's bus is connected and its receive endpoints (queues) exist. The bus starts in the
    /// background (the service does not wait for the broker), so anything published before this may find no queue.
    /// </summary>
    public async Task WaitForBusAsync()
    {
        var status = await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, BusTimeout);
        if (status != BusHealthStatus.Healthy)
        {
            throw new TimeoutException($"The bus of {ServiceName} was {status}, not healthy, after {BusTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Starts the service and waits for its bus.</summary>
    public async Task StartWithBusAsync()
    {
        await StartAsync();
        await WaitForBusAsync();
    }

    /// <summary>Where Kestrel listens (a free port chosen at start).</summary>
    public Uri BaseAddress
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        }
    }

    /// <summary>
    /// An HTTP client over a real socket to the running service; no call waits longer than <see cref="RequestTimeout"/>.
    /// With <paramref name="accessToken"/> (see <see cref="TestTokens"/>) every request carries it.
    /// </summary>
    public HttpClient CreateHttpClient(string? accessToken = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = RequestTimeout,
        };
        return accessToken is null ? client : client.WithToken(accessToken);
    }

    /// <summary>Runs a scalar query on the service's own database (bounded by the command timeout).</summary>
    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        Sql.ScalarAsync<T>(DatabaseConnectionString, sql, CancellationToken.None, parameters);

    public override async ValueTask DisposeAsync()
    {
        // A bus still connecting when the host stops would keep consuming in this test process (a real service's
        // process simply ends): stop such a bus explicitly, in bounded time. A healthy one stops with the host.
        // (A service without messaging, e.g. identity, has no bus.)
        if (_started && Services.GetService<IBusControl>() is { } bus && bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await bus.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown below stops it too.
            }
        }
        await base.DisposeAsync().AsTask().WaitAsync(StopTimeout * 2);
    }
}
