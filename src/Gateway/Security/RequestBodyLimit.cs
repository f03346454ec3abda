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
    /// <summary>How much of a refused body the gateway still reads and drops so that its answer arrives (see below).</summary>
    public const int DiscardedBodyFactor = 4;
    public static readonly TimeSpan DiscardTime = TimeSpan.FromSeconds(5);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (size?.MaxRequestBodySize is { } max && context.Request.ContentLength is { } length && length > max)
            {
                await WriteTooLargeAsync(context, max);
                await DiscardBodyAsync(context, size, length, max);
                return;
            }
            await next(context);
        });

    /// <summary>
    /// A client reads the answer only once it has sent its body. Closing the connection while that body is still
    /// arriving makes the kernel answer the next bytes with a reset, which destroys the 413 before the client reads
    /// it: the app then sees a broken pipe instead of a problem. So, like a web server's lingering close, a body up to
    /// a few times the limit is read and dropped (never forwarded) for a few seconds before the connection closes. A
    /// client that asked to wait (<c>Expect: 100-continue</c>) never sends the body, and a much larger one is cut off.
    /// </summary>
    private static async Task DiscardBodyAsync(HttpContext context, IHttpMaxRequestBodySizeFeature size, long length, long max)
    {
        if (length > max * DiscardedBodyFactor || context.Request.Headers.Expect.Count > 0 || size.IsReadOnly)
        {
            return;
        }
        size.MaxRequestBodySize = length;
        await context.Response.CompleteAsync();
        using var discard = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        discard.CancelAfter(DiscardTime);
        try
        {
            await context.Request.Body.CopyToAsync(Stream.Null, discard.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away or took too long; the connection closes either way.
        }
    }

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
