using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Platform.Gateway.Security;

/// <summary>
/// The client's address behind a load balancer: taken from <c>X-Forwarded-For</c> only when the request comes from a
/// proxy the operator named, never from a header any client can send. Rate limits count an anonymous caller by this
/// address (<see cref="GatewayRateLimits"/>), so trusting the header from anyone would let a client pick a fresh
/// address, and so a fresh limit, with every request.
/// </summary>
/// <remarks>
/// Settings: <c>Platform:ForwardedHeaders:KnownProxies</c> (addresses, e.g. the load balancer's) and
/// <c>Platform:ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. a cluster's pod network). With neither, the header is
/// ignored and the connection's address is the client's: the gateway is then the edge (local runs). Only the last
/// hop is taken (the entry the known proxy appended); entries a client put before it are not believed.
/// </remarks>
public static class ClientAddress
{
    public const string Section = "Platform:ForwardedHeaders";

    public static IServiceCollection AddClientAddressFromKnownProxies(this IServiceCollection services, IConfiguration configuration)
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
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
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
    /// Replaces the connection's address with the forwarded one for requests from a known proxy. Not used at all when
    /// none is named: ASP.NET Core's middleware with empty lists would trust the header from anyone.
    /// </summary>
    public static IApplicationBuilder UseClientAddressFromKnownProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }
}
