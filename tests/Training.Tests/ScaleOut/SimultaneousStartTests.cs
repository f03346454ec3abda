using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.TestSupport;

namespace Platform.Training.Tests.ScaleOut;

/// <summary>
/// Two instances of the training service started at the same moment on a database that does not exist yet (a first
/// deployment with two replicas): the database is created and migrated once, and both instances start and serve.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SimultaneousStartTests(LocalInfrastructure infrastructure)
{
    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_migrate_it_once_and_both_start()
    {
        var logs = new CapturedLogs();
        void Capture(IServiceCollection services) => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        await using var first = new ServiceFactory<Program>(infrastructure, "training", configureServices: Capture);
        await using var second = new ServiceFactory<Program>(infrastructure, "training", restartOf: first, configureServices: Capture);

        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        var migrations = first.Services.CreateScope().ServiceProvider.GetRequiredService<TrainingDb>().Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations.Count, await first.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
        Assert.Equal(migrations.Count, await first.ScalarAsync<long>("SELECT count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\""));
        // Neither instance failed an attempt (as one did when both ran the same migration) and had to try again.
        Assert.Empty(logs.Containing("is not reachable yet"));
        foreach (var instance in new[] { first, second })
        {
            using var client = instance.CreateHttpClient(TestTokens.For(PlatformRoles.OrgOfficer));
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var courses = await client.GetAsync(new Uri("/courses", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, courses.StatusCode);
        }
    }
}
