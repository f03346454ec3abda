using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Access-token validation and authorization, the same in every service and the gateway: each validates tokens
/// itself (issuer, audience, signature from the identity service's JWKS, lifetime) and every endpoint must declare
/// who may call it; an endpoint that declares nothing requires a signed-in user.
/// </summary>
/// <remarks>
/// Settings: <c>Platform:Auth:Issuer</c> (the public issuer, e.g. <c>http://localhost:5080/</c>),
/// <c>Platform:Auth:Audience</c> (default <c>platform-api</c>), <c>Platform:Auth:KeysAddress</c> (default: the
/// identity service's JWKS through service discovery).
/// </remarks>
public static class PlatformAuthentication
{
    public const string DefaultIssuer = "http://localhost:5080/";
    public const string DefaultAudience = "platform-api";
    public const string DefaultKeysAddress = "https+http://identity/.well-known/jwks";

    /// <summary>Asymmetric algorithms only: a token signed with a shared secret (HS*) or not at all (none) is refused.</summary>
    public static readonly IReadOnlyList<string> AcceptedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>The JWT <c>typ</c> of an OAuth access token (RFC 9068): an ID token is not accepted in its place.</summary>
    public const string AccessTokenType = "at+jwt";

    public static TBuilder AddPlatformAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection("Platform:Auth");
        var issuer = section["Issuer"] ?? DefaultIssuer;
        var audience = section["Audience"] ?? DefaultAudience;
        var keysAddress = section["KeysAddress"] ?? DefaultKeysAddress;

        builder.Services.AddHttpClient(nameof(JwksRetriever), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, httpClients) =>
            {
                // Keep the token's claim names (sub, role, scope) rather than .NET's long URIs.
                options.MapInboundClaims = false;
                options.Events = ProblemDetailsForRefusals;
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokenMemory());
                options.Audience = audience;
                // The keys come from identity over the internal network, found by service discovery; the
                // "https+http" address prefers https where the service offers it.
                var documents = new HttpDocumentRetriever(httpClients.CreateClient(nameof(JwksRetriever))) { RequireHttps = false };
                options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(keysAddress, new JwksRetriever(), documents)
                {
                    // A key rotated in identity is picked up at the first token signed with it (unknown kid), at
                    // most once a minute.
                    RefreshInterval = TimeSpan.FromMinutes(1),
                };
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ValidAlgorithms = AcceptedAlgorithms,
                    ValidTypes = [AccessTokenType],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = PlatformClaims.Subject,
                    RoleClaimType = PlatformClaims.Role,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            // Nothing is anonymous by accident: an endpoint without a policy needs a valid token.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddRolePolicies();
        return builder;
    }

    /// <summary>
    /// 401 and 403 as RFC 9457 problems, written by the handler itself: a service's status-code-pages middleware runs
    /// after authorization there, so it would leave these two with an empty body.
    /// </summary>
    private static readonly JwtBearerEvents ProblemDetailsForRefusals = new()
    {
        OnChallenge = async context =>
        {
            context.HandleResponse();
            var response = context.Response;
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "A valid access token is required.",
                context.AuthenticateFailure is null ? "Send a bearer token from the identity service." : "The access token was not accepted.");
        },
        OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
            "Not allowed.", "Your role does not allow this operation."),
    };

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Lets only users holding one of <paramref name="roles"/> call the endpoint(s).</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder endpoints, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(roles));

    /// <summary>Lets only callers whose token carries <paramref name="scope"/> call the endpoint(s).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoints, string scope) where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireAssertion(c => c.User.HasScope(scope)));

    /// <summary>A policy per role, named as the role, for places that name policies (the gateway's route config).</summary>
    private static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var role in PlatformRoles.All)
        {
            authorization.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
        }
        return authorization;
    }
}
