using System.Security.Cryptography;

namespace Platform.Gateway.Security;

/// <summary>
/// Response headers every answer carries (APIs and the docs page alike). The API answers JSON only, so its content
/// security policy allows nothing; <c>/docs</c> (Scalar) may run its own scripts (with a per-request nonce), its
/// styles, and call the gateway itself (token requests, "try it").
/// </summary>
public static class SecurityHeaders
{
    public const string DocsPath = "/docs";
    private const string NonceItem = "csp-nonce";
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            context.Response.OnStarting(static state =>
            {
                var ctx = (HttpContext)state;
                var h = ctx.Response.Headers;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "no-referrer";
                h.ContentSecurityPolicy = ctx.Items.TryGetValue(NonceItem, out var nonce)
                    ? $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                      "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
                    : ApiPolicy;
                // A service's "Server: Kestrel" passes through YARP; the platform does not advertise its stack.
                h.Remove("Server");
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>A fresh nonce for the docs page's script tags, the same one the page's CSP names.</summary>
    public static string DocsNonce(HttpContext context)
    {
        if (context.Items.TryGetValue(NonceItem, out var existing) && existing is string known)
        {
            return known;
        }
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) /* hex: no "+" for HTML to encode differently from the header */;
        context.Items[NonceItem] = nonce;
        return nonce;
    }
}
