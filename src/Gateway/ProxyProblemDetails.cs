using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Gateway;

/// <summary>
/// When a service cannot be reached, YARP answers with a bare status. App teams get an RFC 9457 problem instead,
/// saying which service is unavailable, and at once: a stopped service is a 503 in milliseconds, not a hang.
/// </summary>
internal static class ProxyProblemDetails
{
    public static IReverseProxyApplicationBuilder UseProblemDetailsForProxyErrors(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            var error = context.GetForwarderErrorFeature();
            if (error is null || context.Response.HasStarted)
            {
                return;
            }
            if (error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                || error.Exception?.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                // A chunked body that grew past Kestrel's limit while being forwarded: the caller's fault, not the service's.
                await Security.RequestBodyLimit.WriteTooLargeAsync(context, null);
                return;
            }
            var service = context.GetReverseProxyFeature().Route.Config.ClusterId;
            var (status, title) = error.Error switch
            {
                ForwarderError.NoAvailableDestinations or ForwarderError.Request =>
                    (StatusCodes.Status503ServiceUnavailable, $"The {service} service is unavailable."),
                ForwarderError.RequestTimedOut =>
                    (StatusCodes.Status504GatewayTimeout, $"The {service} service did not answer in time."),
                ForwarderError.RequestCanceled => (499, "The request was canceled by the client."),
                _ => (StatusCodes.Status502BadGateway, $"The {service} service answered in a way the gateway could not forward."),
            };
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "5";
            }
            context.Response.StatusCode = status;
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = "Try again shortly." },
            });
        });
        return proxy;
    }
}
