using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults.Http;

internal static class ProblemDetailsSetup
{
    /// <summary>Default request body limit; endpoints that take uploads raise it for themselves.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        // Binding failures are thrown (not answered with an empty 400) so that the handler can say which field failed.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var limit = configuration.GetValue<long?>("Platform:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes;
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = limit);
        return services;
    }
}

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong types, unknown fields, an oversized body) into RFC 9457
/// problem details that name the offending field, instead of a bare 400 or a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var status = bad.StatusCode;
        var (field, message) = Describe(bad);
        LogRejected(logger, status, field);
        var problem = status == StatusCodes.Status413PayloadTooLarge
            ? new ProblemDetails
            {
                Status = status,
                Title = "The request body is too large.",
                Detail = message,
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            }
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = status,
                Title = "The request could not be read.",
                Detail = message,
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            };
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("body", "The request body exceeds the size this endpoint accepts.");
        }
        for (var inner = bad.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var field = JsonPathToField(json.Path);
                return (field, DescribeJsonError(json, field));
            }
            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return ("body", "The request body exceeds the size this endpoint accepts.");
            }
        }
        // Query and route parameters: "Failed to bind parameter "Nullable<int> Page" from "abc"."
        var match = ParameterName().Match(bad.Message);
        if (!match.Success)
        {
            return ("body", bad.Message);
        }
        var name = JsonNamingPolicy.CamelCase.ConvertName(match.Groups[1].Value);
        return (name, $"'{match.Groups[2].Value}' is not a valid value for {name}.");
    }

    // System.Text.Json's messages name CLR types; callers need to know which field to fix and how.
    private static string DescribeJsonError(JsonException json, string field)
    {
        var message = json.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = message.Split('\'', 3) is [_, var property, _] ? property : field;
            return $"'{name}' is not a field of this request.";
        }
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && field != "body")
        {
            return $"{field} has a value of the wrong type.";
        }
        if (message.StartsWith("The text ", StringComparison.Ordinal) && field != "body")
        {
            return $"{field} {message["The text ".Length..].Split(" Path:", 2)[0]}";
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return message.Split(". Path:", 2)[0];
        }
        return field == "body"
            ? $"The body is not valid JSON: {message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}"
            : $"{field} is not valid: {message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}";
    }

    private static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"\\S+ (\\w+)\" from \"(.*)\"")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a request with status {Status}: field {Field} could not be read")]
    private static partial void LogRejected(ILogger logger, int status, string field);
}
