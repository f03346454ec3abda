using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Platform.Rights.Apis;
using Platform.Rights.Application;

namespace Platform.Rights;

public static class RightsRegistration
{
    /// <summary>
    /// The service's own parts: case opening, its counters, and the rate limit of the anonymous door
    /// (<c>Platform:Rights:AnonymousCasesPerMinute</c>, default 10 per client address per minute).
    /// </summary>
    public static IHostApplicationBuilder AddRightsProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CaseOpening>();
        builder.Services.AddSingleton<RightsTelemetry>();
        builder.Services.AddHostedService<CaseGauges>();

        var perMinute = builder.Configuration.GetValue("Platform:Rights:AnonymousCasesPerMinute", 10);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(CasesApi.AnonymousPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                    detail: "Too many anonymous requests from this address; try again in a minute, or call the hotline.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }
}
