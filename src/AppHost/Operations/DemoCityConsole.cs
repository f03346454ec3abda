using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.AppHost.Operations;

/// <summary>
/// Shows the demo city loader's progress and its end in the app host's own console, where <c>./run.sh</c> was typed:
/// a city ten times the report's takes many minutes to load, and the dashboard is not the only place people watch.
/// </summary>
public static partial class DemoCityConsole
{
    public static IResourceBuilder<ProjectResource> WithProgressInConsole(this IResourceBuilder<ProjectResource> loader)
    {
        loader.ApplicationBuilder.Services.AddHostedService(services => new Forwarder(
            loader.Resource, services.GetRequiredService<ResourceLoggerService>(), services.GetRequiredService<ILogger<ProjectResource>>()));
        return loader;
    }

    /// <summary>Forwards the loader's own "Demo city ..." lines (phases, progress, the summary); the rest stays in its console log.</summary>
    private sealed partial class Forwarder(ProjectResource loader, ResourceLoggerService logs, ILogger logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(loader).WithCancellation(stoppingToken))
                {
                    foreach (var line in batch)
                    {
                        var text = line.Content.Trim();
                        var at = text.IndexOf("Demo city", StringComparison.Ordinal);
                        if (at >= 0)
                        {
                            LogLine(logger, text[at..]);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The app host is stopping.
            }
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "demo-city: {Line}")]
        private static partial void LogLine(ILogger logger, string line);
    }
}
