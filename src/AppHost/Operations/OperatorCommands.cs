using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.AppHost.Operations;

/// <summary>The dashboard's one-click operations: load the demo city, re-drive a service's failed messages.</summary>
public static class OperatorCommands
{
    public const string LoadDemoData = "load-demo-data";
    public const string RedriveErrorQueues = "redrive-error-queues";

    /// <summary>
    /// "Load demo data" on the demo city loader: runs it again (it exits when done) and answers how it ended. Loading is
    /// idempotent, so running it on a loaded platform only checks that everything is there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLoadDemoDataCommand(this IResourceBuilder<ProjectResource> loader, double scale) =>
        loader.WithCommand(LoadDemoData, "Load demo data", async context =>
        {
            var commands = context.Services.GetRequiredService<ResourceCommandService>();
            var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            // About 25 minutes for a city ten times the report's on two cores: 30 per report-sized city.
            timeout.CancelAfter(TimeSpan.FromMinutes(30 * Math.Max(1, scale)));
            // Watch before starting, so that a quick run's end is not missed: the run is over at the first terminal
            // state after a non-terminal one (the watch first replays the current state, which may be an earlier end).
            await using var watch = notifications.WatchAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            var next = watch.MoveNextAsync();
            var requested = DateTime.UtcNow;
            var started = await commands.ExecuteCommandAsync(loader.Resource, KnownResourceCommands.StartCommand, context.CancellationToken);
            if (!started.Success)
            {
                return CommandResults.Failure($"The demo city loader did not start: {started.Message}");
            }
            ResourceEvent? ended = null;
            var running = false;
            while (ended is null && await next)
            {
                var e = watch.Current;
                if (e.Resource == loader.Resource)
                {
                    var terminal = e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state);
                    running |= !terminal;
                    ended = terminal && running ? e : null;
                }
                next = ended is null ? watch.MoveNextAsync() : ValueTask.FromResult(false);
            }
            if (ended is null)
            {
                return CommandResults.Failure("The demo city loader's end was not seen.");
            }
            var seconds = (DateTime.UtcNow - requested).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
            return ended.Snapshot.ExitCode == 0 || (ended.Snapshot.ExitCode is null && ended.Snapshot.State?.Text == KnownResourceStates.Finished)
                ? CommandResults.Success($"Demo city loaded in {seconds} s: the figures are at /api/ledger on the gateway, the counts in the demo-city console log.")
                : CommandResults.Failure($"The demo city loader ended with exit code {ended.Snapshot.ExitCode} after {seconds} s: its console log says what was not loaded.");
        }, new CommandOptions
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Loads the demo city at {scale} times the report's figures (at 1: 237 communities, 241 stations, 7,500 workers, hazards, cases, courses...) through the services' APIs; records already there are kept."),
            ConfirmationMessage = "Load the demo city into this platform? It adds demo communities, stations, workers and their records (a few minutes; nothing already there is duplicated).",
            IconName = "CityRegular",
            IsHighlighted = true,
            // Not while a load is running: a second one would only wait on the first's records.
            UpdateState = state => state.ResourceSnapshot.State?.Text is { } s && (s == KnownResourceStates.Running || s == KnownResourceStates.Starting || s == KnownResourceStates.Waiting)
                ? ResourceCommandState.Disabled
                : ResourceCommandState.Enabled,
        });

    /// <summary>
    /// "Re-drive failed messages" on a service: moves every message in the service's <c>&lt;queue&gt;_error</c> queues
    /// (its queues are named "&lt;service&gt;-...") back to the queue, to be consumed again once the cause is fixed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRedriveCommand(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<IResourceWithConnectionString> broker) =>
        service.WithCommand(RedriveErrorQueues, "Re-drive failed messages", async context =>
        {
            var redrive = await ForBrokerAsync(broker.Resource, context.CancellationToken);
            var results = await redrive.RedriveAsync(service.Resource.Name + "-", context.CancellationToken);
            var moved = results.Where(r => r.Moved > 0).ToList();
            return moved.Count == 0
                ? CommandResults.Success($"No failed messages: {service.Resource.Name}'s error queues are empty ({results.Count} checked).")
                : CommandResults.Success($"Moved {moved.Sum(r => r.Moved)} failed message(s) back: "
                                         + string.Join(", ", moved.Select(r => $"{r.Moved} to {r.Queue}")) + ".");
        }, new CommandOptions
        {
            Description = "Moves the messages this service's consumers gave up on (its _error queues) back to their queues.",
            ConfirmationMessage = $"Move every message in {service.Resource.Name}'s _error queues back to its queue? Do this after fixing what made them fail: they are consumed again at once.",
            IconName = "ArrowRedo",
            UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });

    /// <summary>A re-drive for the platform's broker: its AMQP connection string and its management endpoint.</summary>
    public static async Task<ErrorQueueRedrive> ForBrokerAsync(IResourceWithConnectionString broker, CancellationToken ct)
    {
        var connectionString = await broker.GetConnectionStringAsync(ct)
                               ?? throw new InvalidOperationException("The broker has no connection string yet.");
        var management = ((IResourceWithEndpoints)broker).GetEndpoint("management");
        return new ErrorQueueRedrive(new Uri(connectionString), new Uri(management.Url));
    }
}
