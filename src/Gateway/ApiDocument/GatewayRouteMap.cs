using Yarp.ReverseProxy.Configuration;

namespace Platform.Gateway.ApiDocument;

/// <summary>
/// What the gateway's routes mean for a service's own paths: under which gateway path a service path is reachable
/// (or not at all), and whether the gateway lets it through without a token. Read from the live YARP config, so the
/// API document follows route changes.
/// </summary>
public sealed class GatewayRouteMap
{
    private readonly IReadOnlyList<Route> _routes;

    public GatewayRouteMap(IEnumerable<RouteConfig> routes)
    {
        _routes = routes
            .Where(r => r.ClusterId is not null && r.Match.Path is not null)
            .Select(r => new Route(
                r.ClusterId!,
                Segments(r.Match.Path!),
                r.Match.Methods,
                r.Transforms?.Select(t => t.TryGetValue("PathRemovePrefix", out var p) ? p : null).FirstOrDefault(p => p is not null),
                string.Equals(r.AuthorizationPolicy, "anonymous", StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>The gateway prefix a cluster's API lives under (e.g. <c>/api/organizations</c>), if it has one.</summary>
    public string? PrefixOf(string clusterId) =>
        _routes.FirstOrDefault(r => r.ClusterId == clusterId && r.RemovePrefix is not null)?.RemovePrefix;

    /// <summary>The gateway path that reaches <paramref name="servicePath"/> of the cluster, or null when no route does.</summary>
    public string? GatewayPathOf(string clusterId, string servicePath)
    {
        var routes = _routes.Where(r => r.ClusterId == clusterId).ToList();
        // A route passing the path through unchanged (e.g. identity's /connect/token at the root) wins over a prefix.
        foreach (var route in routes.Where(r => r.RemovePrefix is null))
        {
            if (Matches(route.Template, Segments(servicePath)))
            {
                return servicePath;
            }
        }
        foreach (var route in routes.Where(r => r.RemovePrefix is not null))
        {
            var gatewayPath = route.RemovePrefix!.TrimEnd('/') + servicePath;
            if (Matches(route.Template, Segments(gatewayPath)))
            {
                return gatewayPath;
            }
        }
        return null;
    }

    /// <summary>Whether the gateway lets <paramref name="method"/> on <paramref name="gatewayPath"/> through without a token.</summary>
    public bool IsAnonymous(string method, string gatewayPath)
    {
        var segments = Segments(gatewayPath);
        return _routes.Any(r => r.Anonymous
                                && (r.Methods is null || r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                                && Matches(r.Template, segments));
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool Matches(string[] template, string[] path)
    {
        for (var i = 0; i < template.Length; i++)
        {
            var part = template[i];
            if (part.StartsWith("{*", StringComparison.Ordinal))
            {
                return true;
            }
            if (i >= path.Length)
            {
                return false;
            }
            // A route parameter matches any one segment, including the document's own "{id}".
            var isParameter = part.StartsWith('{') && part.EndsWith('}');
            if (!isParameter && !string.Equals(part, path[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return template.Length == path.Length;
    }

    private sealed record Route(string ClusterId, string[] Template, IReadOnlyList<string>? Methods, string? RemovePrefix, bool Anonymous);
}
