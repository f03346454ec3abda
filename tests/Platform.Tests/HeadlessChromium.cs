using Microsoft.Playwright;

namespace Platform.Tests;

/// <summary>
/// The Debian <c>chromium</c> package, driven headless through Playwright's DevTools protocol client. No browser is
/// downloaded: test.sh installs the package, and a machine without it fails here with a clear message.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const float TimeoutMs = 30_000;
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PLATFORM_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                "Chromium is not installed: the browser check needs the Debian package 'chromium' (test.sh installs it with " +
                "apt-get; or set PLATFORM_CHROMIUM to a Chromium executable).");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Timeout = TimeoutMs,
                // Root in CI has no user namespace sandbox; /dev/shm may be tiny in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page (own context: no cookies shared between checks) with every wait bounded.</summary>
    public async Task<IPage> NewPageAsync(int height = 1000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = height } });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: TestResults/artifacts next to the test project's output, kept after the run.</summary>
    public static string ArtifactPath(string fileName)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, fileName);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
