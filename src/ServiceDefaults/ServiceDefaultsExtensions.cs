using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Telemetry;
using Platform.ServiceDefaults.Time;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every platform service shares: telemetry, health, service discovery, resilience, problem details
/// JSON conventions and access-token validation. One call in each service's Program.cs.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        // The city's time zone (dates, months and hours as people count them), from its setting.
        CityClock.Configure(builder.Configuration);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddPlatformProblemDetails(builder.Configuration);
        // Stop within seconds: orchestrators (DCP, Kubernetes) kill a process that lingers after SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.ConfigureHttpJsonOptions(o => PlatformJson.ConfigureForRequests(o.SerializerOptions));
        builder.Services.AddOpenApi(o => o.AddRolesToOperations());
        builder.AddPlatformAuthentication();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Before any sink: personal values classified in [LoggerMessage] methods are redacted for all of them.
        builder.AddLogRedaction();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Every platform meter ("Platform.Volunteers", "Platform.Messaging", ...): a service's own meter needs
                // no registration of its own (see docs/observability.md).
                .AddMeter("Npgsql", "MassTransit", PlatformTelemetry.Wildcard))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit", PlatformTelemetry.Wildcard)
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes every few seconds would drown the traces operators look for.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(HealthPath)
                                      && !ctx.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// The request pipeline of every service, in its order: problem-details answers for errors, the text guard, then
    /// authentication and authorization. Left implicit, ASP.NET Core would authenticate before the first two, and an
    /// error there would be a bare 500. (The gateway orders its own: <see cref="UseRequestDefaults"/>, then routing,
    /// authentication and its rate limits.)
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseRequestDefaults();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Problem-details answers for errors and status codes, and the text guard: the first middleware of every app.</summary>
    public static WebApplication UseRequestDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before any endpoint: text a database or an event must never hold is refused here for every service.
        app.UseMiddleware<RequestTextGuard>();
        return app;
    }

    /// <summary>Maps <c>/health</c> (ready: every check, including database and broker) and <c>/alive</c> (the process answers).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes and the API description carry no user data and are called without a token.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>Reads the service's short name (e.g. <c>organizations</c>), used for queue names and telemetry.</summary>
    public static string ServiceName(this IHostEnvironment environment) =>
        environment.ApplicationName.ToLowerInvariant();
}

/// <summary>The JSON conventions of every API and event on the platform.</summary>
public static class PlatformJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // Enumerations travel as kebab-case words ("food-delivery"), never as numbers.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        // A field the API does not know is refused rather than ignored: a typo or an attempt to set a
        // server-owned field (mass assignment) must not pass silently.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }

    /// <summary>
    /// The conventions for reading what callers send: as <see cref="Configure"/>, and a NUL, another control character or
    /// half a surrogate pair in any string is refused (<see cref="Platform.ServiceDefaults.Validation.TextRules"/>). Only at the edge: what the
    /// platform stored itself (outbox payloads, documents) is read without it, so no earlier row can ever stop a reader.
    /// </summary>
    public static JsonSerializerOptions ConfigureForRequests(JsonSerializerOptions options)
    {
        Configure(options);
        options.Converters.Add(new CheckedTextConverter());
        return options;
    }

}
