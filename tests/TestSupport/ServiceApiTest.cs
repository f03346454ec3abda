using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// The base of every service's HTTP tests: the service (its real <c>Program</c>) on Kestrel against a fresh database on
/// the test PostgreSQL server and the test RabbitMQ node, started before each test and stopped after it, and the
/// clients a test makes disposed with it. A service's own base (e.g. <c>StationsApiTest</c>) adds its callers and the
/// helpers its tests share; a test class may change <see cref="Settings"/> and <see cref="ConfigureServices"/>.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class ServiceApiTest<TProgram>(LocalInfrastructure infrastructure, string serviceName) : IAsyncLifetime
    where TProgram : class
{
    private readonly List<IDisposable> _disposables = [];
    private ServiceFactory<TProgram>? _service;

    protected LocalInfrastructure Infrastructure => infrastructure;

    protected ServiceFactory<TProgram> Service => _service ?? throw new InvalidOperationException("Not started.");

    /// <summary>More settings for the service of this test class (e.g. shorter intervals).</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    /// <summary>The service's clock, when the test moves time (e.g. a <see cref="ShiftedClock"/>); null: the machine's.</summary>
    protected virtual TimeProvider? ServiceClock => null;

    /// <summary>Test services after the service's own registrations (a capture of what it sends, a log sink).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Whether the service has a bus to wait for before a test starts (identity has none).</summary>
    protected virtual bool HasBus => true;

    public virtual async Task InitializeAsync() => await StartAsync(CreateService());

    /// <summary>A service with this class's settings and test services; with <paramref name="restartOf"/> on that one's database.</summary>
    protected virtual ServiceFactory<TProgram> CreateService(ServiceFactory<TProgram>? restartOf = null) =>
        new(infrastructure, serviceName, Settings, configureServices: TestServices, restartOf: restartOf);

    private void TestServices(IServiceCollection services)
    {
        if (ServiceClock is { } clock)
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        }
        ConfigureServices(services);
    }

    /// <summary>Starts <paramref name="service"/> as this test's service (and waits for its bus).</summary>
    protected async Task StartAsync(ServiceFactory<TProgram> service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        if (HasBus)
        {
            await service.StartWithBusAsync();
        }
        else
        {
            await service.StartAsync();
        }
    }

    /// <summary>Replaces the running service by a new one on the same database: a restart.</summary>
    protected virtual async Task RestartAsync()
    {
        var previous = Service;
        await previous.DisposeAsync();
        await StartAsync(CreateService(previous));
    }

    /// <summary>Stops this test's service (e.g. to start another on its database); returns that database's connection string.</summary>
    protected async Task<string> StopServiceAsync()
    {
        var database = Service.DatabaseConnectionString;
        await Service.DisposeAsync();
        _service = null;
        return database;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    /// <summary>A client of this test's service with <paramref name="token"/> (none: anonymous), disposed with the test.</summary>
    protected HttpClient ClientFor(string? token) => Track(Service.CreateHttpClient(token));

    /// <summary>Disposes <paramref name="disposable"/> with the test.</summary>
    protected T Track<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>Reads a JSON answer with the platform's strict options: a field the test does not know fails the read.</summary>
    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        Assert.True(mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal), $"Not JSON: '{mediaType}'");
        return (await response.Content.ReadFromJsonAsync<T>(PlatformJson.Options))!;
    }

    /// <summary>Waits (bounded) until the outbox dispatcher has handed every event of this test's service to the broker.</summary>
    protected Task WaitForEmptyOutboxAsync() => Eventually.Until(
        _ => Service.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"),
        pending => pending == 0,
        "the outbox emptied by the dispatcher");
}
