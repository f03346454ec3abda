using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Platform.Identity.Data;

namespace Platform.Identity.Server;

/// <summary>
/// Keeps the token tables and the code table from growing for ever: once an hour removes tokens and authorizations
/// that expired or were revoked more than a day ago (OpenIddict's own pruning) and one-time codes older than a day.
/// </summary>
internal sealed partial class Housekeeping(IServiceScopeFactory scopes, TimeProvider clock, ILogger<Housekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
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
