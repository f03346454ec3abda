using System.Security.Claims;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Claim names in platform access tokens (JWT names, not mapped to the long .NET claim types) and how to read them.
/// </summary>
public static class PlatformClaims
{
    /// <summary>The user's id: for a worker, the worker id every service keys the worker's records by.</summary>
    public const string Subject = "sub";
    public const string Role = "role";
    /// <summary>Space-separated OAuth scopes (client credentials).</summary>
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string Name = "name";
    /// <summary>A community a community-staff user serves (one claim per community id).</summary>
    public const string Community = "community";
    /// <summary>A station a station keeper keeps (one claim per station id).</summary>
    public const string Station = "station";
    /// <summary>The district a supervisor or officer works in, where it narrows what they see.</summary>
    public const string District = "district";

    /// <summary>
    /// The worker id of a signed-in worker, or null for anyone else. The only way a worker's own records are found:
    /// never take a worker id from the route or body for "my" data.
    /// </summary>
    public static Guid? WorkerId(this ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Worker) ? user.SubjectId() : null;

    /// <summary>The token's subject as a GUID (users), or null when absent or not a GUID (e.g. a client id).</summary>
    public static Guid? SubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Subject), out var id) ? id : null;

    public static IReadOnlySet<Guid> CommunityIds(this ClaimsPrincipal user) => GuidClaims(user, Community);

    public static IReadOnlySet<Guid> StationIds(this ClaimsPrincipal user) => GuidClaims(user, Station);

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindAll(Scope).Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));

    private static HashSet<Guid> GuidClaims(ClaimsPrincipal user, string type) =>
        [.. user.FindAll(type).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)];
}
