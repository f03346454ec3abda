using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Platform.Identity.Data;
using Platform.ServiceDefaults.Data;

namespace Platform.Identity.Application;

/// <summary>
/// Keeps the token tables and the code table from growing for ever: once an hour removes tokens and authorizations
/// that expired or were revoked more than a day ago (OpenIddict's own pruning) and one-time codes older than a day.
/// Once an hour for the city, not per instance: every instance checks every few minutes and the one that takes the
/// hour's lease prunes (<see cref="CityJobs"/>).
/// </summary>
internal sealed partial class Housekeeping(IServiceScopeFactory scopes, CityJobs jobs, TimeProvider clock, ILogger<Housekeeping> logger) : BackgroundService
{
    public const string Job = "identity-housekeeping";
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);
    /// <summary>How often an instance checks: another instance takes over within this after one dies.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await jobs.RunIfDueAsync(scope.ServiceProvider.GetRequiredService<IdentityDb>(), Job, Period, PruneAsync, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next round tries again; a failed prune harms nothing but disk space.
                LogFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = clock.GetUtcNow() - KeepFor;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct);
        var codes = await scope.ServiceProvider.GetRequiredService<IdentityDb>().PhoneCodes.Where(c => c.IssuedAt < threshold).ExecuteDeleteAsync(ct);
        LogPruned(logger, tokens, authorizations, codes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tokens} tokens, {Authorizations} authorizations and {Codes} one-time codes")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations, int codes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning tokens and codes failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
