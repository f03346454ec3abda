using Platform.Gateway.Security;
using Scalar.AspNetCore;

namespace Platform.Gateway.ApiDocument;

/// <summary>The merged API document at <c>/openapi/v1.json</c> and the Scalar page at <c>/docs</c>, both without a token.</summary>
public static class ApiDocumentEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.AddSingleton<ApiDocumentSource>();
        services.AddHttpClient(ApiDocumentSource.HttpClientName);
        return services;
    }

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet(DocumentPath, async (ApiDocumentSource source, CancellationToken cancellationToken) =>
                TypedResults.Text(await source.GetAsync(cancellationToken), "application/json"))
            .WithName("GetApiDocument")
            .ExcludeFromDescription()
            .AllowAnonymous()
            .RequireRateLimiting(GatewayRateLimits.AnonymousRead);

        // The page signs staff in as the platform's public app client (password grant, no secret), as the apps do.
        var docsClientId = app.ServiceProvider.GetRequiredService<IConfiguration>()["Platform:ApiDocument:DocsClientId"] ?? "platform-app";
        app.MapScalarApiReference(SecurityHeaders.DocsPath, (options, context) => options
                .WithTitle("City gig-worker platform API")
                .WithOpenApiRoutePattern(DocumentPath)
                // Fonts from Scalar's CDN would need the CSP opened to it; the page works with the system's fonts.
                .DisableDefaultFonts()
                .WithNonce(SecurityHeaders.DocsNonce(context))
                .AddPreferredSecuritySchemes(ApiDocumentMerger.SecuritySchemeName)
                .AddPasswordFlow(ApiDocumentMerger.SecuritySchemeName, flow => flow.ClientId = docsClientId)
                .AddClientCredentialsFlow(ApiDocumentMerger.SecuritySchemeName, _ => { }))
            .AllowAnonymous()
            .RequireRateLimiting(GatewayRateLimits.AnonymousRead);
        return app;
    }
}
