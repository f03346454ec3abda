using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway;

/// <summary>
/// With several instances of a service, a read that finds one instance gone (its connection refused, or a kept-alive
/// connection to it reset) is sent on to another instance at once, and the gone one is left out of the choice for
/// <see cref="SetAside"/>, so a killed instance costs callers nothing. The active health check (every 5 s, per
/// cluster in appsettings.json) brings it back once it answers again.
/// </summary>
/// <remarks>
/// Only GET and HEAD are sent again: they carry no body and change nothing, so sending one twice is harmless even if
/// the first attempt reached the instance before its connection broke. Writes are not repeated by the gateway (an
/// <c>Idempotency-Key</c> makes a client's own retry safe); they get the 503 problem at once and the instance is set
/// aside all the same. A service that answers slowly is not a transport failure (504, no repeat).
/// </remarks>
internal static class InstanceFailover
{
    public static readonly TimeSpan SetAside = TimeSpan.FromSeconds(10);

    public static IReverseProxyApplicationBuilder UseInstanceFailover(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            var proxyFeature = context.GetReverseProxyFeature();
            var canRepeat = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            // Kept here: load balancing narrows the feature's list to the one destination it chose.
            var candidates = proxyFeature.AvailableDestinations;
            while (true)
            {
                await next();
                var error = context.GetForwarderErrorFeature();
                if (error is not { Error: ForwarderError.Request } || context.Response.HasStarted
                    || proxyFeature.ProxiedDestination is not { } failed)
                {
                    return;
                }
                if (context.RequestServices.GetRequiredService<IProxyStateLookup>().TryGetCluster(proxyFeature.Cluster.Config.ClusterId, out var cluster))
                {
                    context.RequestServices.GetRequiredService<IDestinationHealthUpdater>()
                        .SetPassive(cluster, failed, DestinationHealth.Unhealthy, SetAside);
                }
                candidates = candidates.Where(d => d != failed).ToList();
                if (!canRepeat || candidates.Count == 0)
                {
                    return;
                }
                // Forget the failed attempt and let load balancing choose among the others.
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.StatusCode = StatusCodes.Status200OK;
                proxyFeature.AvailableDestinations = candidates;
                proxyFeature.ProxiedDestination = null;
            }
        });
        return proxy;
    }
}
