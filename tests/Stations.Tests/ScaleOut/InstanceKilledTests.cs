using System.Diagnostics;
using MassTransit;
using Npgsql;
using Platform.Contracts;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Stations.Tests.ScaleOut;

/// <summary>
/// Two instances of the stations service, each its own process, share a burst of events; one is killed in the middle of
/// it (SIGKILL: no graceful stop, its unacknowledged messages still with it). The broker hands those back to the other
/// instance, which finishes the burst: every event is applied exactly once, what the killed one had committed but not
/// acknowledged is recognised and skipped, what it had not committed is applied.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class InstanceKilledTests(LocalInfrastructure infrastructure, ITestOutputHelper output)
{
    private const int Events = 3_000;
    private const int KillAfterApplied = 300;
    private const string Consumer = "community-directory";

    [Fact]
    public async Task An_instance_killed_in_a_burst_loses_nothing_and_the_other_applies_the_rest_exactly_once()
    {
        var database = $"stations_{Guid.NewGuid():N}";
        var settings = ServiceProcess.Settings(infrastructure, "stations", database);
        // The inbox says when it skips a message it already applied: the killed instance's committed work.
        settings["Logging__LogLevel__Platform.Communities"] = "Information";
        var dll = ServiceProcess.Built("src/Services/Stations", "Stations.dll");
        using var killed = ServiceProcess.Start("stations-1", dll, ReservedPorts.Next(), settings);
        await killed.WaitUntilAsync("/health");
        using var survivor = ServiceProcess.Start("stations-2", dll, ReservedPorts.Next(), settings);
        await survivor.WaitUntilAsync("/health");

        var district = $"区{Guid.NewGuid():N}"[..20];
        var messageIds = new Guid[Events];
        var published = 0;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(infrastructure.RabbitMqConnectionString)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bus.StartAsync(timeout.Token);
        long appliedAtKill;
        int publishedAtKill;
        try
        {
            var publishing = Task.Run(async () =>
            {
                for (var start = 0; start < Events; start += 100)
                {
                    await Task.WhenAll(Enumerable.Range(start, 100).Select(i =>
                    {
                        messageIds[i] = NewId.NextGuid();
                        var community = new CommunityRegistered(NewId.NextGuid(), $"社区{i}", district, "解放道街道", 39.5186, 116.6946, DateTimeOffset.UtcNow);
                        return bus.Publish(community, context => context.MessageId = messageIds[i], timeout.Token);
                    }));
                    Volatile.Write(ref published, start + 100);
                }
            });
            // Killed while both are applying: a part of the burst is in, the rest on its way or waiting in the queue.
            await Eventually.Until(_ => CountAsync(database, "SELECT count(*) FROM communities WHERE \"District\" = @district", district),
                n => n >= KillAfterApplied, "the first part of the burst applied");
            killed.Kill();
            publishedAtKill = Volatile.Read(ref published);
            appliedAtKill = await CountAsync(database, "SELECT count(*) FROM communities WHERE \"District\" = @district", district);
            await publishing;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        await Eventually.Until(_ => CountAsync(database, "SELECT count(*) FROM communities WHERE \"District\" = @district", district),
            n => n == Events, $"{Events} communities applied", TimeSpan.FromMinutes(2));
        var converged = clock.Elapsed;

        Assert.True(killed.HasExited);
        Assert.False(survivor.HasExited, survivor.Output);
        Assert.Equal(Events, await CountAsync(database, "SELECT count(*) FROM inbox_messages WHERE \"Consumer\" = @consumer AND \"MessageId\" = ANY(@ids)", Consumer, messageIds));
        var skipped = survivor.Output.Split('\n').Count(l => l.Contains("was already handled", StringComparison.Ordinal));
        output.WriteLine($"{Events} events; one instance killed with {appliedAtKill} applied and {publishedAtKill} published; the survivor applied the rest " +
                         $"{converged.TotalSeconds:F1} s later, skipping {skipped} the killed one had committed but not acknowledged");
    }

    private async Task<long> CountAsync(string database, string sql, string text, Guid[]? ids = null)
    {
        await using var connection = new NpgsqlConnection(infrastructure.PostgresConnectionString(database));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(ids is null ? "district" : "consumer", text);
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }
        return (long)(await command.ExecuteScalarAsync(timeout.Token))!;
    }
}
