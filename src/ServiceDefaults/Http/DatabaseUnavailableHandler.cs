using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Data;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// A request that meets its database away (the server restarting, a standby being promoted, the pool waiting for a
/// connection) is answered 503 with Retry-After: the caller can try again, which a 500 does not tell it. A write
/// interrupted at its commit may or may not have been applied, so the answer says to retry with the same
/// Idempotency-Key, which then gives the first outcome instead of applying it twice.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || !exception.IsDatabaseAway())
        {
            return false;
        }
        LogUnavailable(logger, httpContext.Request.Method, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service's database is not available at the moment.",
            Detail = HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
                ? $"Try again in {RetryAfterSeconds} s."
                : $"The change may or may not have been applied. Try again in {RetryAfterSeconds} s with the same Idempotency-Key to be sure it is applied once.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Method} request met its database away ({Exception}): answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string exception);
}
