using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.AppHost.Infrastructure;

namespace Platform.Tests;

/// <summary>
/// Each service's database is found by its connection string alone, so the databases may live on different servers:
/// with <c>Platform:PostgresServers=2</c> the app host runs two and spreads the databases over them, and every service
/// works against its own (the stress platform's fuzz and fault tests run on exactly this).
/// </summary>
[Collection(StressPlatformCollection.Name)]
public sealed class DatabaseServersTests(StressPlatformFixture platform)
{
    private static readonly string[] Services = ["identity", .. PlatformFixture.DomainServices, "partners"];

    [Fact]
    public async Task The_databases_are_spread_over_the_servers_and_each_service_is_ready_on_its_own()
    {
        var servers = platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<LocalPostgresServer>().ToList();
        Assert.Equal(["postgres", "postgres-2"], servers.Select(s => s.Name).Order(StringComparer.Ordinal));

        var ports = new Dictionary<string, int>();
        foreach (var service in Services)
        {
            var connectionString = await platform.App.GetConnectionStringAsync($"{service}-db");
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            Assert.Equal($"{service}-db", settings.Database);
            ports[service] = settings.Port;
            // Ready means its database answered (the service's health check includes it).
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }
        // Spread in turn: both servers hold databases, neither all of them.
        Assert.Equal(StressPlatformFixture.PostgresServers, ports.Values.Distinct().Count());
        Assert.All(ports.Values.GroupBy(p => p), g => Assert.InRange(g.Count(), 1, Services.Length - 1));
    }
}

/// <summary>A database given to the app host by its connection string is used as given, on a server of the operator's.</summary>
public sealed class DatabaseConnectionStringTests
{
    [Fact]
    public async Task A_database_given_by_its_connection_string_is_not_created_on_the_local_servers()
    {
        var data = Path.Combine(Path.GetTempPath(), $"platform-model-{Guid.NewGuid():N}"[..28]);
        const string Given = "Host=db.stations.example;Port=5432;Database=stations;Username=platform;Password=x";
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                ["Platform:Infrastructure=local", $"Platform:DataDirectory={data}", $"ConnectionStrings:stations-db={Given}"], timeout.Token);
            var stations = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "stations-db");
            Assert.IsNotType<LocalPostgresDatabase>(stations);
            Assert.Equal(Given, await stations.ConnectionStringExpression.GetValueAsync(timeout.Token));
            // The others stay on the local server.
            Assert.IsType<LocalPostgresDatabase>(builder.Resources.Single(r => r.Name == "volunteers-db"));
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
