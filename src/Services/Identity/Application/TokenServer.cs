using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.Identity.Application;

/// <summary>
/// The OAuth 2.0 / OpenID Connect token server (OpenIddict): discovery at <c>/.well-known/openid-configuration</c>,
/// keys at <c>/.well-known/jwks</c>, tokens at <c>/connect/token</c>. Access tokens are plain signed JWTs
/// (<c>typ</c> at+jwt, audience <c>platform-api</c>) that every service validates itself against the JWKS.
/// </summary>
public static class TokenServer
{
    public const string TokenPath = "/connect/token";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public static WebApplicationBuilder AddTokenServer(this WebApplicationBuilder builder)
    {
        // The public address (the gateway): the "iss" of every token and the base of the discovery document.
        var issuer = builder.Configuration["Platform:Auth:Issuer"] ?? PlatformAuthentication.DefaultIssuer;
        var localRun = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Test");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<StaffUser>, PasswordHasher<StaffUser>>();
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KeyRing>());
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, KeyRingServerOptions>();
        builder.Services.AddHostedService<PlatformClientRegistration>();
        builder.Services.AddHostedService<BootstrapOperator>();
        builder.Services.AddCityJobs();
        builder.Services.AddHostedService<Housekeeping>();

        // OpenIddict's dispatcher writes each token request in full at Information/Debug, redacting only the
        // parameters it knows as secret: the phone-code grant's "phone" would reach every log sink as it is, and a
        // library's message cannot be classified. Its warnings and errors stay.
        builder.Logging.AddFilter("OpenIddict.Server.OpenIddictServerDispatcher", LogLevel.Warning);
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(issuer, UriKind.Absolute));
                server.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                // The endpoints a client reads from discovery are the public ones (under the issuer, i.e. the gateway),
                // not the internal address the request reached identity on.
                var publicBase = new Uri(issuer.EndsWith('/') ? issuer : issuer + "/", UriKind.Absolute);
                server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        context.TokenEndpoint = new Uri(publicBase, TokenPath.TrimStart('/'));
                        context.JsonWebKeySetEndpoint = new Uri(publicBase, ".well-known/jwks");
                        return default;
                    })
                    .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 1));
                server.AllowClientCredentialsFlow()
                    .AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowCustomFlow(PlatformClients.PhoneCodeGrantType);
                server.RegisterScopes([.. PlatformScopes.All]);
                server.RegisterAudiences(PlatformAuthentication.DefaultAudience);
                // Services read the claims themselves, so access tokens are signed, not encrypted.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(AccessTokenLifetime)
                    .SetRefreshTokenLifetime(RefreshTokenLifetime)
                    // Rotation: each refresh answers a new refresh token and the used one is dead at once (no grace
                    // period); presenting it again revokes the whole chain, as a stolen token would be.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (localRun)
                {
                    // Local runs and tests speak plain HTTP. In production the issuer is https and OpenIddict refuses
                    // any request that did not arrive over TLS (behind a TLS-terminating proxy: forwarded headers).
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        return builder;
    }
}
