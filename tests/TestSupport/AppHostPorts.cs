using System.Globalization;

namespace Platform.TestSupport;

/// <summary>
/// Settings that keep an app host run (the end-to-end tests, the city benchmark) on this process's own ports
/// (<see cref="ReservedPorts"/>): its own dashboard, OTLP and resource-service ports, and its services' endpoints from
/// a reserved block instead of the shared range, where a server started by another process could take a port between
/// the app host's probe and the bind. Also beside a platform started with <c>./run.sh</c>.
/// </summary>
public static class AppHostPorts
{
    /// <summary>The app host arguments, and the block its proxy-less endpoints must land in.</summary>
    public static (string[] Arguments, (int First, int Last) EndpointPorts) Reserve()
    {
        var block = ReservedPorts.Block();
        string Port() => ReservedPorts.Next().ToString(CultureInfo.InvariantCulture);
        return (
        [
            $"ASPNETCORE_URLS=http://127.0.0.1:{Port()}",
            $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{Port()}",
            $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{Port()}",
            $"ASPIRE_PROXYLESS_ENDPOINT_PORT_RANGE={block.First}-{block.Last}",
            "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        ], block);
    }
}
