using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Platform.AppHost.Operations;
using Platform.DemoCity;

namespace Platform.Tests;

/// <summary>
/// The demo city loaded by the dashboard's "Load demo data" command (the real loader, real tokens, through the real
/// services) and read back from the city ledger at the gateway.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DemoCityTests(PlatformFixture platform)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ResourceTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Sections = ["organizations", "volunteers", "stations", "training", "rights"];

    [Fact]
    public async Task Loading_the_demo_city_twice_gives_the_plans_figures_in_the_ledger_once()
    {
        var plan = new CityPlan(PlatformFixture.DemoScale);
        // Other tests of the platform may have registered records before: the demo adds its figures to those.
        var before = await LedgerAsync();

        var first = await ExecuteAsync("demo-city", OperatorCommands.LoadDemoData);
        Assert.True(first.Success, first.Message);
        var loaded = await LedgerAsync();

        var expected = new Dictionary<string, long>
        {
            ["organizations.communities"] = plan.Communities.Count,
            ["organizations.enterprises"] = plan.Enterprises.Count,
            ["organizations.organizations"] = plan.Organizations.Count,
            ["organizations.industryCommittees"] = plan.Organizations.Count(o => o.Kind == "industry-committee"),
            ["volunteers.workers"] = plan.Workers.Count,
            ["volunteers.workersReportedIn"] = plan.Workers.Count,
            ["volunteers.hazardReports"] = plan.Hazards.Count(),
            ["volunteers.hazardsClosed"] = plan.Hazards.Count(h => h.Outcome == "closed"),
            ["volunteers.vanguardTeams"] = plan.VanguardTeams.Count,
            ["volunteers.vanguardVolunteers"] = plan.VanguardVolunteers,
            ["stations.stations"] = plan.Stations.Count,
            ["training.courses"] = plan.Courses.Count,
            ["training.studySessions"] = plan.StudyActivities.Count,
            ["training.articles"] = plan.Articles.Count,
            ["rights.counsellingSessions"] = plan.Cases.Count(),
            ["rights.hotlineCalls"] = plan.Calls.Count,
            ["rights.jointActivities"] = plan.Activities.Count,
        };
        foreach (var (figure, added) in expected)
        {
            Assert.True(Figure(loaded, figure) == Figure(before, figure) + added,
                $"{figure}: {Figure(before, figure)} before, {Figure(loaded, figure)} after loading, expected {added} more.");
        }
        Assert.Equal(plan.Communities.Count, Figure(loaded, "volunteers.communitiesServed") - Figure(before, "volunteers.communitiesServed"));
        // The city has months of history: hazard reports and cases filed more than 90 (30) days ago, with their
        // original dates (only the demo's imported history can be that old).
        var oldestPlanned = plan.Hazards.Max(h => h.HoursAgo);
        Assert.True(oldestPlanned > 90 * 24, $"The plan's oldest hazard is only {oldestPlanned / 24} days old.");
        var ninetyDaysAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-90).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var oldHazards = await GetJsonAsync($"/api/volunteers/stats?to={ninetyDaysAgo}");
        Assert.Equal(plan.Hazards.LongCount(h => h.HoursAgo >= 90 * 24), oldHazards.GetProperty("hazardReports").GetInt64());
        var oldest = await GetJsonAsync($"/api/volunteers/hazard-reports?source=imported&pageSize=1&page={plan.Hazards.Count()}");
        var oldestReported = oldest.GetProperty("items")[0].GetProperty("reportedAt").GetDateTimeOffset();
        Assert.True(oldestReported < DateTimeOffset.UtcNow.AddDays(-90), $"The oldest hazard report was filed {oldestReported:O}.");
        var thirtyDaysAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(plan.Cases.Count(c => c.HoursAgo >= 30 * 24), (await GetJsonAsync($"/api/rights/stats?to={thirtyDaysAgo}")).GetProperty("cases").GetInt32());

        var second = await ExecuteAsync("demo-city", OperatorCommands.LoadDemoData);
        Assert.True(second.Success, second.Message);
        var again = await LedgerAsync();
        foreach (var section in Sections)
        {
            // Everything but the last 30 days' check-ins (a clock-bound window) is a count of records.
            var figures = Figures(again, section).Where(f => f.Key != "checkInsLast30Days").ToList();
            Assert.NotEmpty(figures);
            foreach (var (name, value) in figures)
            {
                Assert.True(value == Figure(loaded, $"{section}.{name}"), $"{section}.{name} was {Figure(loaded, $"{section}.{name}")} after the first load, {value} after the second.");
            }
        }
    }

    [Fact]
    public async Task A_stopped_service_is_marked_unavailable_in_the_ledger_and_the_others_still_answer()
    {
        var stopped = await ExecuteAsync("stations", KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, stopped.Message);
        try
        {
            using var timeout = new CancellationTokenSource(ResourceTimeout);
            await platform.App.ResourceNotifications.WaitForResourceAsync("stations",
                e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), timeout.Token);

            var ledger = await LedgerAsync(l => !l.GetProperty("stations").GetProperty("available").GetBoolean()
                                                 && Sections.Where(s => s != "stations").All(s => l.GetProperty(s).GetProperty("available").GetBoolean()));
            var stations = ledger.GetProperty("stations");
            Assert.False(stations.GetProperty("available").GetBoolean());
            Assert.Contains(stations.GetProperty("reason").GetString(), new[] { "unreachable", "timeout", "unavailable" });
            Assert.Equal(JsonValueKind.Null, stations.GetProperty("stations").ValueKind);
            foreach (var other in new[] { "organizations", "volunteers", "training", "rights" })
            {
                Assert.True(ledger.GetProperty(other).GetProperty("available").GetBoolean(), $"{other} should still be in the ledger: {ledger.GetProperty(other)}");
            }
        }
        finally
        {
            var started = await ExecuteAsync("stations", KnownResourceCommands.StartCommand);
            Assert.True(started.Success, started.Message);
            using var timeout = new CancellationTokenSource(ResourceTimeout);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("stations", timeout.Token);
        }
        var back = await LedgerAsync();
        Assert.True(back.GetProperty("stations").GetProperty("available").GetBoolean(), back.GetProperty("stations").ToString());
    }

    [Fact]
    public async Task The_ledger_needs_an_operator_officer_or_supervisor_token()
    {
        using var anonymous = await platform.Gateway.GetAsync(new Uri("/api/ledger", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}";
        using var sent = await platform.Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone });
        var code = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        var (_, body) = await platform.TokenRequestAsync(("grant_type", "urn:platform:grant-type:phone-code"), ("client_id", "platform-app"), ("phone", phone), ("code", code));
        using var worker = platform.ClientWithToken(body.GetProperty("access_token").GetString()!);
        using var refused = await worker.GetAsync(new Uri("/api/ledger", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await platform.Operator.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<ExecuteCommandResult> ExecuteAsync(string resource, string command)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        return await commands.ExecuteCommandAsync(resource, command, timeout.Token);
    }

    /// <summary>
    /// The ledger once it shows what is expected of it (every section available unless told otherwise): a service's
    /// statistics may miss the ledger's timeout on a busy machine, and a stopped service takes a moment to be gone.
    /// </summary>
    private async Task<JsonElement> LedgerAsync(Func<JsonElement, bool>? until = null)
    {
        until ??= ledger => Sections.All(s => ledger.GetProperty(s).GetProperty("available").GetBoolean());
        var deadline = DateTime.UtcNow + LedgerTimeout;
        while (true)
        {
            using var response = await platform.Operator.GetAsync(new Uri("/api/ledger", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ledger = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (until(ledger) || DateTime.UtcNow > deadline)
            {
                return ledger;
            }
            await Task.Delay(500);
        }
    }

    private static long Figure(JsonElement ledger, string path)
    {
        var (section, name) = (path.Split('.')[0], path.Split('.')[1]);
        var value = ledger.GetProperty(section).GetProperty(name);
        Assert.True(value.ValueKind == JsonValueKind.Number, $"{path} is not in the ledger: {ledger.GetProperty(section)}");
        return value.GetInt64();
    }

    private static List<KeyValuePair<string, long>> Figures(JsonElement ledger, string section) =>
        [.. ledger.GetProperty(section).EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64()))];
}
