using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// What a request looked like before the proxies in front of this process (a load balancer, a TLS-terminating ingress,
/// the gateway): the client's address from <c>X-Forwarded-For</c> and the scheme from <c>X-Forwarded-Proto</c>, taken
/// only when the request comes from a proxy the operator named, never from headers any client can send.
/// </summary>
/// <remarks>
/// The gateway counts an anonymous caller by this address (<c>GatewayRateLimits</c>), so trusting the header from anyone
/// would let a client pick a fresh address, and so a fresh limit, with every request. Identity issues tokens only for
/// requests that arrived over TLS outside local runs: behind an ingress that ends TLS, the scheme is the ingress's.
/// Settings: <c>Platform:ForwardedHeaders:KnownProxies</c> (addresses, e.g. the load balancer's) and
/// <c>Platform:ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. a cluster's pod network). With neither, the headers are
/// ignored and the connection is the client's: the process is then the edge (local runs). Only the last hop is taken
/// (the entry the known proxy appended); entries a client put before it are not believed.
/// </remarks>
public static class KnownProxies
{
    public const string Section = "Platform:ForwardedHeaders";

    public static IServiceCollection AddForwardedHeadersFromKnownProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        var knownProxies = proxies.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address.")).ToList();
        var knownNetworks = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"{Section}:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8).")).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here only what the operator named is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in knownProxies)
            {
                options.KnownProxies.Add(proxy);
            }
            foreach (var network in knownNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
            options.ForwardLimit = 1;
        });
        return services;
    }

    /// <summary>
    /// Replaces the connection's address and scheme with the forwarded ones for requests from a known proxy. Not used
    /// at all when none is named: ASP.NET Core's middleware with empty lists would trust the headers from anyone.
    /// </summary>
    public static IApplicationBuilder UseForwardedHeadersFromKnownProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }
}
