using Microsoft.AspNetCore.Mvc;

namespace Platform.Gateway.Security;

/// <summary>
/// A path no route serves is a 404 problem, for anyone: without this endpoint the authorization fallback policy
/// would answer 401 and suggest that a token would help. Nothing is forwarded.
/// </summary>
public static class UnknownPaths
{
    public static IEndpointRouteBuilder MapUnknownPathsToNotFound(this IEndpointRouteBuilder app)
    {
        // "{**path}" and not MapFallback's default pattern, which skips paths that look like file names.
        app.MapFallback("{**path}", (HttpContext context) => TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not found.",
                Detail = "No API is served at this path. The API document is at /openapi/v1.json.",
            }))
            .AllowAnonymous()
            .RequireRateLimiting(GatewayRateLimits.AnonymousRead);
        return app;
    }
}
