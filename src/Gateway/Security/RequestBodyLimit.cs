using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Gateway.Security;

/// <summary>
/// The gateway streams bodies to services, so Kestrel's body limit (<c>Platform:MaxRequestBodyBytes</c>) would only
/// trip in the middle of forwarding, which YARP reports as a failed request. A declared length over the limit is
/// refused here with a 413 problem before anything is sent on; a chunked body that grows past it is caught in
/// <see cref="ProxyProblemDetails"/>.
/// </summary>
public static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            if (limit is { } max && context.Request.ContentLength is { } length && length > max)
            {
                await WriteTooLargeAsync(context, max);
                return;
            }
            await next(context);
        });

    public static async Task WriteTooLargeAsync(HttpContext context, long? max)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // The client may still be sending; do not keep the connection for the rest of an oversized body.
        context.Response.Headers.Connection = "close";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = max is null ? "The request body exceeds the size the platform accepts."
                    : $"The request body exceeds the {max} bytes the platform accepts.",
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            },
        });
    }
}
