namespace Platform.Gateway.Security;

/// <summary>
/// Browsers may call the API from the app origins listed in <c>Platform:Cors:Origins</c> and from nowhere else.
/// Tokens travel in the Authorization header, never in cookies, so credentials mode is not allowed.
/// </summary>
public static class AppCors
{
    public static IServiceCollection AddAppCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Platform:Cors:Origins").Get<string[]>() ?? [];
        return services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", CorrelationId.Header, "traceparent")
            .WithExposedHeaders(CorrelationId.Header, "Retry-After", "Location", "ETag")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }
}
