using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Platform.ServiceDefaults.Security;

namespace Platform.Gateway.Security;

/// <summary>
/// Rate limits at the door. Routes name a policy in their YARP config (<c>"RateLimiterPolicy"</c>); sign-in paths are
/// limited by path as well, whichever route the identity service's config gives them, so a route edit cannot drop it.
/// </summary>
/// <remarks>
/// Settings under <c>Platform:RateLimits:&lt;Policy&gt;</c>: <c>PermitLimit</c> requests per <c>WindowSeconds</c>.
/// A signed-in caller is counted by token (<c>sub</c>, else <c>client_id</c>), so many couriers behind one carrier
/// NAT do not starve each other; an anonymous caller by IP address.
/// </remarks>
public static class GatewayRateLimits
{
    /// <summary>Any route that needs a token: per signed-in client (per IP until the token is known to be valid).</summary>
    public const string PerClient = "per-client";
    /// <summary>Anonymous reads (station search, certificate check): per IP.</summary>
    public const string AnonymousRead = "anonymous-read";
    /// <summary>Anonymous writes (a public report form): per IP, strict.</summary>
    public const string PublicWrite = "public-write";

    /// <summary>Token requests (<c>/connect/token</c>): per IP, strict, against password and code guessing.</summary>
    public const string SignIn = "sign-in";
    /// <summary>One-time code requests (<c>POST /api/identity/phone-codes</c>): each sends an SMS, so the strictest.</summary>
    public const string OneTimeCode = "one-time-code";

    public const string TokenPath = "/connect/token";
    public const string PhoneCodesPath = "/api/identity/phone-codes";

    private static readonly Dictionary<string, (int Permits, int WindowSeconds)> Defaults = new()
    {
        [PerClient] = (600, 60),
        [AnonymousRead] = (120, 60),
        [PublicWrite] = (10, 60),
        [SignIn] = (20, 300),
        [OneTimeCode] = (5, 900),
    };

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = Defaults.ToDictionary(d => d.Key, d => Read(configuration, d.Key, d.Value));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteTooManyRequestsAsync;
            options.AddPolicy(PerClient, context => Window(limits[PerClient], ClientKey(context)));
            options.AddPolicy(AnonymousRead, context => Window(limits[AnonymousRead], IpKey(context)));
            options.AddPolicy(PublicWrite, context => Window(limits[PublicWrite], IpKey(context)));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => SignInPolicy(context) switch
            {
                SignIn => Window(limits[SignIn], "sign-in " + IpKey(context)),
                OneTimeCode => Window(limits[OneTimeCode], "code " + IpKey(context)),
                _ => RateLimitPartition.GetNoLimiter(string.Empty),
            });
        });
        return services;
    }

    private static string? SignInPolicy(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase))
        {
            return SignIn;
        }
        return HttpMethods.IsPost(context.Request.Method) && path.Equals(PhoneCodesPath, StringComparison.OrdinalIgnoreCase)
            ? OneTimeCode
            : null;
    }

    private static (int Permits, int WindowSeconds) Read(IConfiguration configuration, string policy, (int Permits, int WindowSeconds) fallback)
    {
        var section = configuration.GetSection($"Platform:RateLimits:{policy}");
        return (section.GetValue<int?>("PermitLimit") ?? fallback.Permits, section.GetValue<int?>("WindowSeconds") ?? fallback.WindowSeconds);
    }

    private static RateLimitPartition<string> Window((int Permits, int WindowSeconds) limit, string key) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            // Refuse at once: a queued request only holds a connection and times out on a phone anyway.
            QueueLimit = 0,
        });

    private static string ClientKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var id = user.FindFirst(PlatformClaims.Subject)?.Value ?? user.FindFirst(PlatformClaims.ClientId)?.Value;
            if (id is not null)
            {
                return id;
            }
        }
        return IpKey(context);
    }

    private static string IpKey(HttpContext context) =>
        "ip " + (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString();

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Try again in {seconds} s.",
                Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            },
        });
    }
}
