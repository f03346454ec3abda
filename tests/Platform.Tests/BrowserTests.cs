using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// What an operator and an app developer see in a real browser (the Debian chromium, headless): the Aspire dashboard
/// with every resource running and healthy, and the gateway's API document rendering every service's routes.
/// Screenshots go to <c>TestResults/artifacts</c> next to the test assembly.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BrowserTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const string DashboardResource = "aspire-dashboard";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_dashboard_shows_every_resource_running_and_healthy()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        // The login link with its token, as the app host prints it for the operator.
        var dashboard = await platform.App.ResourceNotifications.WaitForResourceAsync(DashboardResource,
            e => e.Snapshot.Urls.Any(u => u.Url.Contains("/login?t=", StringComparison.Ordinal)), timeout.Token);
        var login = dashboard.Snapshot.Urls.First(u => u.Url.Contains("/login?t=", StringComparison.Ordinal)).Url;
        var (expected, jobs) = VisibleResources();
        Assert.Contains("gateway", expected);
        Assert.Contains("postgres", expected);

        await using var chromium = await HeadlessChromium.LaunchAsync();
        // Tall enough that the virtualized grid renders every row at once.
        var page = await chromium.NewPageAsync(height: 2400);
        await page.GotoAsync(login);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);

        // States can still be settling (a health check every few seconds): read the grid until all agree, bounded.
        IReadOnlyList<ResourceRow> rows = [];
        var deadline = DateTime.UtcNow + Timeout;
        var reloads = 0;
        while (true)
        {
            // Seen once in CI on a loaded machine: the dashboard's Blazor circuit failed and the page showed its own
            // "An unhandled error has occurred. Reload" bar over an empty grid. An operator reloads; so does the test,
            // at most twice, and says so. The resources must still all show running and healthy afterwards.
            if (reloads < 2 && await page.Locator("#blazor-error-ui").IsVisibleAsync())
            {
                reloads++;
                output.WriteLine($"The dashboard showed its error bar ({await page.Locator("#blazor-error-ui").InnerTextAsync()}); reloading ({reloads}).");
                await page.ReloadAsync();
                continue;
            }
            rows = await ReadResourceGridAsync(page);
            var shown = rows.ToDictionary(r => r.Name);
            if (expected.All(name => shown.TryGetValue(name, out var row) && (jobs.Contains(name) ? !row.HasFailed : row.IsRunningAndHealthy))
                || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(500);
        }
        var path = HeadlessChromium.ArtifactPath("dashboard-resources.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });

        var table = string.Join(Environment.NewLine, rows.Select(r => $"{r.Name}: {r.State} ({r.Icon})"));
        Assert.True(expected.SetEquals(rows.Select(r => r.Name)), $"Expected resources {string.Join(", ", expected.Order())}; the dashboard shows:{Environment.NewLine}{table}");
        Assert.True(rows.All(r => jobs.Contains(r.Name) ? !r.HasFailed : r.IsRunningAndHealthy),
            $"Not every resource is running and healthy (screenshot {path}):{Environment.NewLine}{table}");
        Assert.True(File.Exists(path) && new FileInfo(path).Length > 10_000, $"No screenshot at {path}");
        output.WriteLine($"Screenshot: {path}");
        var count = await page.GetByText($"Showing {expected.Count} resources").CountAsync();
        Assert.True(count == 1, $"The dashboard's footer does not say it shows {expected.Count} resources.");
    }

    [Fact]
    public async Task The_API_document_page_renders_every_service_s_routes_without_a_content_security_policy_error()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(height: 1200);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        // Every CSP refusal, whatever the console says about it.
        await page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push({
              directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, column: e.columnNumber }));
            """);

        // The gateway merges the services' documents on first request and leaves out one that does not answer within
        // its fetch timeout, merging again 15 s later; on a busy machine a cold service can be that slow once. The
        // page is opened when the merged document is whole, as a user reloading it would then see.
        var services = PlatformFixture.DomainServices.Append("identity").Append("partners").ToList();
        var wholeBy = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var document = await platform.Gateway.GetStringAsync("/openapi/v1.json", wait.Token);
            var missing = services.Where(s => !document.Contains($"\"/api/{s}/", StringComparison.Ordinal)).ToList();
            if (missing.Count == 0)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < wholeBy, $"After 90 s the gateway's API document still lacks {string.Join(", ", missing)}.");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var response = await page.GotoAsync(new Uri(platform.Gateway.BaseAddress!, "/docs").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.False(string.IsNullOrEmpty(await response.HeaderValueAsync("content-security-policy")), "The /docs page is served without a Content-Security-Policy.");

        // Scalar renders the document in the page: the first group's routes, and a group per service in the sidebar.
        await page.GetByText("/api/identity/phone-codes", new PageGetByTextOptions { Exact = true })
            .Filter(new LocatorFilterOptions { Visible = true }).First.WaitForAsync();
        foreach (var service in PlatformFixture.DomainServices.Append("identity").Append("partners"))
        {
            // The sidebar renders progressively: each service's group, open or closed.
            await page.GetByText(new System.Text.RegularExpressions.Regex($"^(Open|Close) Group - {service}$")).First
                .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        var path = HeadlessChromium.ArtifactPath("api-document.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });

        var violations = new List<string>();
        foreach (var v in (await page.EvaluateAsync<JsonElement>("() => window.__cspViolations")).EnumerateArray())
        {
            var (directive, blocked, source) = (v.GetProperty("directive").GetString(), v.GetProperty("blocked").GetString(), v.GetProperty("source").GetString());
            var (line, column) = (v.GetProperty("line").GetInt32(), v.GetProperty("column").GetInt32());
            // The one refusal allowed: a library's capability probe (zod's `try { Function("") } catch`), which falls
            // back to code that needs no eval. Anything else the policy blocked is a failure.
            if (directive == "script-src" && blocked == "eval" && source is not null && await IsGuardedEvalProbeAsync(source, line, column))
            {
                output.WriteLine($"Allowed: guarded eval probe at {source}:{line}:{column}");
                continue;
            }
            violations.Add($"{directive} blocked {blocked} at {source}:{line}:{column}");
        }
        Assert.True(violations.Count == 0 && problems.Count == 0,
            "Content-Security-Policy violations: " + string.Join("; ", violations) + Environment.NewLine + string.Join(Environment.NewLine, problems));
        output.WriteLine($"Screenshot: {path}");
    }

    /// <summary>Whether the script at <paramref name="source"/> calls <c>Function(</c> at that place inside a <c>try</c>.</summary>
    private async Task<bool> IsGuardedEvalProbeAsync(string source, int line, int column)
    {
        var uri = new Uri(source);
        if (uri.Authority != platform.Gateway.BaseAddress!.Authority || line < 1 || column < 1)
        {
            return false;
        }
        var lines = (await platform.Gateway.GetStringAsync(new Uri(uri.PathAndQuery, UriKind.Relative))).Split('\n');
        if (line > lines.Length || column > lines[line - 1].Length)
        {
            return false;
        }
        var text = lines[line - 1];
        var before = text[Math.Max(0, column - 1 - 16)..(column - 1)];
        return text[(column - 1)..].StartsWith("Function(", StringComparison.Ordinal) && before.Contains("try{", StringComparison.Ordinal);
    }

    /// <summary>
    /// The resources an operator sees (the app host's own helpers are hidden from the dashboard too), and among them the
    /// jobs started on demand (the demo loader): those run and finish, so they must only not have failed.
    /// </summary>
    private (HashSet<string> Visible, HashSet<string> Jobs) VisibleResources()
    {
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        var notifications = platform.App.Services.GetRequiredService<ResourceNotificationService>();
        var visible = model.Resources
            .Where(r => notifications.TryGetCurrentState(r.Name, out var state) && !state.Snapshot.IsHidden)
            .ToList();
        return ([.. visible.Select(r => r.Name)],
            [.. visible.Where(r => r.Annotations.OfType<ExplicitStartupAnnotation>().Any()).Select(r => r.Name)]);
    }

    /// <summary>Each row of the resources grid: name, state text, and the state icon's colour (green tick = running and healthy).</summary>
    private static async Task<IReadOnlyList<ResourceRow>> ReadResourceGridAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('table.main-grid tr')]
              .filter(tr => tr.querySelector('.state-column-cell'))
              .map(tr => ({
                name: tr.querySelector('td').innerText.trim(),
                state: tr.querySelector('.state-column-cell span')?.innerText.trim() ?? '',
                icon: tr.querySelector('.state-column-cell svg.severity-icon')?.getAttribute('style') ?? ''
              }))
            """);
        return [.. json.EnumerateArray().Select(r => new ResourceRow(
            r.GetProperty("name").GetString()!, r.GetProperty("state").GetString()!, r.GetProperty("icon").GetString()!))];
    }

    private sealed record ResourceRow(string Name, string State, string Icon)
    {
        // A running resource whose health checks fail keeps "Running" but gets a warning icon instead of the green tick.
        public bool IsRunningAndHealthy => State == "Running" && Icon.Contains("--success", StringComparison.Ordinal);

        /// <summary>A failed start or a non-zero exit: the dashboard shows it with the error colour.</summary>
        public bool HasFailed => Icon.Contains("--error", StringComparison.Ordinal) || State.Contains("Failed", StringComparison.OrdinalIgnoreCase);
    }
}
