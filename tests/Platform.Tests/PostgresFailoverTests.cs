using System.Diagnostics;
using System.Net.Http.Headers;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// The platform's PostgreSQL fails over: a primary with a synchronous streaming standby (two servers on this machine),
/// organizations, stations and volunteers as their own processes with their databases there, reaching whichever server
/// is primary through one multi-host connection string. While registrations stream into organizations the primary's
/// machine dies (SIGKILL of the server and its backends) and the standby is promoted. The services find the new
/// primary by themselves; a request in flight meanwhile is answered 503 or succeeds, never 500 and never held past its
/// timeout; every registration that was answered 201 is there afterwards, and its event reached both consumers once.
/// </summary>
public sealed class PostgresFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 4;
    private const int BeforeFailure = 100;
    private const int AfterPromotion = 100;
    private static readonly TimeSpan WriterInterval = TimeSpan.FromMilliseconds(100);
    private static readonly string[] Consumers = ["stations", "volunteers"];
    private readonly LocalPostgresReplication _databases = new();
    private readonly LocalInfrastructure _broker = LocalInfrastructure.WithoutPostgres();
    private readonly List<ServiceProcess> _services = [];
    private TestKeysServer? _keys;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_databases.InitializeAsync(), _broker.InitializeAsync());
        _keys = await TestKeysServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _services.ForEach(s => s.Dispose());
        if (_keys is not null)
        {
            await _keys.DisposeAsync();
        }
        await _broker.DisposeAsync();
        await _databases.DisposeAsync();
    }

    [Fact]
    public async Task A_promoted_standby_takes_over_and_no_confirmed_registration_or_event_is_lost()
    {
        var databases = new[] { "organizations" }.Concat(Consumers).ToDictionary(s => s, s => $"{s}_{Guid.NewGuid():N}"[..24]);
        foreach (var (service, database) in databases)
        {
            var settings = ServiceProcess.Settings(service, _databases.ConnectionString(database), _broker.RabbitMqConnectionString);
            settings["Platform__Auth__KeysAddress"] = _keys!.Address;
            var folder = char.ToUpperInvariant(service[0]) + service[1..];
            _services.Add(ServiceProcess.Start(service, ServiceProcess.Built($"src/Services/{folder}", $"{folder}.dll"), ReservedPorts.Next(), settings));
        }
        await Task.WhenAll(_services.Select(s => s.WaitUntilAsync("/health")));
        var organizations = _services[0];

        var district = $"切换区{Guid.NewGuid():N}"[..20];
        using var client = new HttpClient { BaseAddress = organizations.BaseAddress, Timeout = TimeSpan.FromSeconds(45) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("operator"));
        using var stream = new RegistrationStream(client, "/communities", district, Writers, WriterInterval);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;

        await stream.AcceptedAsync(BeforeFailure, ct);
        var clock = Stopwatch.StartNew();
        _databases.KillPrimary();
        var killedAtAnswer = stream.Answers.Count;
        await _databases.PromoteStandbyAsync();
        var withoutPrimary = clock.Elapsed;
        var promotedAtAnswer = stream.Answers.Count;
        var firstAfter = await stream.AnsweredAsync(a => a.Skip(promotedAtAnswer).Any(x => x.Status == 201), "a registration accepted by the new primary", ct);
        var recovered = clock.Elapsed;
        await stream.AnsweredAsync(a => a.Skip(promotedAtAnswer).Count(x => x.Status == 201) >= AfterPromotion, "registrations after the promotion", ct);
        var answers = await stream.StopAsync();

        // Every answer a 201 or a 503 problem, never a 500, a reset or no answer.
        var wrong = answers.Where(a => a.Status is not (201 or 503) || (a.Status == 503 && !a.Problem)).ToList();
        Assert.True(wrong.Count == 0, $"Wrong answers: {string.Join("; ", wrong.Take(10).Select(a => a.ToString()))}\n--- organizations: unhandled ---\n{Unhandled(organizations.Output)}\n--- organizations: last lines ---\n{Tail(organizations.Output)}");
        var accepted = answers.Where(a => a.Status == 201).Select(a => a.Id!.Value).ToHashSet();

        // All confirmed registrations on the new primary (synchronous replication lost none); a 503 may have been applied too.
        var registered = await IdsAsync(databases["organizations"], district, ct);
        Assert.Empty(accepted.Except(registered));
        var convergeClock = Stopwatch.StartNew();
        foreach (var service in Consumers)
        {
            var held = await Eventually.Until(c => IdsAsync(databases[service], district, c),
                ids => ids.SetEquals(registered), $"{service} holding all {registered.Count} communities", TimeSpan.FromMinutes(3));
            // Exactly once: one inbox entry per event in a database that has seen no others.
            Assert.Equal(registered.Count, await Sql.ScalarAsync<long>(_databases.Standby.ConnectionString(databases[service]),
                "SELECT count(*) FROM inbox_messages WHERE \"Consumer\" = 'community-directory'", ct));
            Assert.Equal(registered.Count, held.Count);
        }
        var converged = convergeClock.Elapsed;
        Assert.All(_services, s => Assert.False(s.HasExited, $"{s.Name} exited:\n{Tail(s.Output)}"));

        var unavailable = answers.Count(a => a.Status == 503);
        output.WriteLine($"{answers.Count} registrations by {Writers} writers: {accepted.Count} answered 201, {unavailable} answered 503 " +
                         $"({registered.Count - accepted.Count} of those applied all the same), none 500 or unanswered; slowest answer " +
                         $"{answers.Max(a => a.Took).TotalSeconds:F1} s");
        output.WriteLine($"primary killed after {killedAtAnswer} answers; standby promoted {withoutPrimary.TotalSeconds:F1} s later; first 201 from the " +
                         $"new primary {recovered.TotalSeconds:F1} s after the kill ({firstAfter.Status} at answer {answers.IndexOf(firstAfter) + 1}); " +
                         $"{string.Join(" and ", Consumers)} held every community, each applied once, {converged.TotalSeconds:F1} s after the stream stopped");
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>The first errors ASP.NET Core answered with a 500 (its exception handler's log entries), to say what a 500 was.</summary>
    private static string Unhandled(string text)
    {
        var entries = text.Split("\nfail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware").Skip(1).Take(2);
        return string.Join("\n---\n", entries.Select(e => e.Length > 3000 ? e[..3000] : e));
    }

    /// <summary>The communities of the district in a database, read from the new primary.</summary>
    private Task<HashSet<Guid>> IdsAsync(string database, string district, CancellationToken ct) =>
        Sql.IdsAsync(_databases.Standby.ConnectionString(database), "SELECT \"Id\" FROM communities WHERE \"District\" = @district", ct, ("district", district));
}
