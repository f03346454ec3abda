using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Partners.Application;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.Partners.Apis;

public sealed record AllowedHostResponse(string Host, DateTimeOffset AllowedAt);

public static class AllowedHostsApi
{
    public static RouteGroupBuilder MapAllowedHostsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/allowed-hosts").WithTags("Allowed hosts").RequireRoles(PlatformRoles.Operator);
        group.MapGet("/", List)
            .WithName("ListAllowedCallbackHosts")
            .WithSummary("Hosts allowed as callbacks although not public")
            .WithDescription("For local runs: a receiver on loopback or a private network. Public hosts need no entry.");
        group.MapPut("/{host}", Allow)
            .WithName("AllowCallbackHost")
            .WithSummary("Allow a non-public callback host (local runs)");
        group.MapDelete("/{host}", Remove)
            .WithName("RemoveAllowedCallbackHost")
            .WithSummary("Stop allowing a non-public callback host");
        return group;
    }

    private static async Task<Ok<List<AllowedHostResponse>>> List(PartnersDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.AllowedHosts.AsNoTracking().OrderBy(h => h.Host).Take(500)
            .Select(h => new AllowedHostResponse(h.Host, h.AllowedAt)).ToListAsync(ct));

    private static async Task<Results<Ok<AllowedHostResponse>, ValidationProblem>> Allow(
        string host, PartnersDb db, AllowedHostList allowed, TimeProvider clock, CancellationToken ct)
    {
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown || host.Length > 253)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["host"] = ["Must be a host name or an IP address."] });
        }
        var normalized = AllowedHost.Normalize(host);
        var entry = await db.AllowedHosts.FindAsync([normalized], ct);
        if (entry is null)
        {
            entry = AllowedHost.Allow(host, clock.GetUtcNow());
            db.AllowedHosts.Add(entry);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Allowed by a simultaneous request a moment earlier (a retry, a second click): the same PUT, the same
                // answer. (Removed again meanwhile by a simultaneous DELETE: whichever came last stands.)
                db.ChangeTracker.Clear();
                entry = await db.AllowedHosts.AsNoTracking().SingleOrDefaultAsync(h => h.Host == normalized, ct) ?? entry;
            }
        }
        await allowed.ReloadAsync(ct);
        return TypedResults.Ok(new AllowedHostResponse(entry.Host, entry.AllowedAt));
    }

    private static async Task<NoContent> Remove(string host, PartnersDb db, AllowedHostList allowed, CancellationToken ct)
    {
        var normalized = AllowedHost.Normalize(host);
        await db.AllowedHosts.Where(h => h.Host == normalized).ExecuteDeleteAsync(ct);
        await allowed.ReloadAsync(ct);
        return TypedResults.NoContent();
    }
}
