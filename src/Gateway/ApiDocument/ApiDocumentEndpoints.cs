using Platform.Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;

namespace Platform.Gateway.ApiDocument;

/// <summary>
/// The merged API document at <c>/openapi/v1.json</c>, each service's part of it at <c>/api/&lt;service&gt;/openapi/v1.json</c>,
/// and the Scalar page at <c>/docs</c>, all without a token.
/// </summary>
public static class ApiDocumentEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";
    /// <summary>Where a service's own part is: the path its document would have behind the gateway (which needs a token there).</summary>
    public const string ServiceDocumentPath = "/api/{service}/openapi/v1.json";

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

        // Ordered before the services' proxied routes (whose literal prefix would otherwise win), which ask for a token.
        app.MapGet(ServiceDocumentPath, GetServiceDocument)
            .WithOrder(-1)
            .WithName("GetServiceApiDocument")
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

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetServiceDocument(string service, ApiDocumentSource source,
        HttpContext context, CancellationToken cancellationToken)
    {
        var document = await source.GetServiceAsync(service, cancellationToken);
        if (!document.Known)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No service is called '{service}'.",
                detail: $"The merged document of every service is at {DocumentPath}.");
        }
        if (document.Json is null)
        {
            context.Response.Headers.RetryAfter = "15";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: $"The {service} service's API document is unavailable.",
                detail: "The service does not answer yet; try again shortly.");
        }
        return TypedResults.Text(document.Json, "application/json");
    }
}
