using Microsoft.EntityFrameworkCore;
using Platform.Partners.Data;
using Platform.Partners.Domain;

namespace Platform.Partners.Application;

/// <summary>
/// The hosts operators allowed although not public (local runs), kept in memory for the connect-time check and
/// re-read from the database every half minute so that every instance learns of changes.
/// </summary>
public sealed class AllowedHostList(IServiceScopeFactory scopes)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private volatile HashSet<string> _hosts = [];
    private long _loadedAt;
    private volatile bool _loaded;

    public async ValueTask<bool> AllowsAsync(string host, CancellationToken ct)
    {
        if (!_loaded || Environment.TickCount64 - Interlocked.Read(ref _loadedAt) > MaxAge.TotalMilliseconds)
        {
            await ReloadAsync(ct);
        }
        return _hosts.Contains(AllowedHost.Normalize(host));
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDb>();
        _hosts = [.. await db.AllowedHosts.AsNoTracking().Select(h => h.Host).ToListAsync(ct)];
        Interlocked.Exchange(ref _loadedAt, Environment.TickCount64);
        _loaded = true;
    }
}
