using System.Diagnostics;

namespace Platform.Gateway.Security;

/// <summary>
/// <c>X-Request-Id</c>: a caller's id is kept when well-formed (so an app can quote it to support), otherwise a new
/// one is made; it goes back in the response, on to the service, and into every log line the gateway writes for the
/// request. A malformed value is never passed on, so it cannot inject text into logs downstream.
/// </summary>
public static partial class CorrelationId
{
    public const string Header = "X-Request-Id";
    private const int MaxLength = 128;

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.Gateway.Requests");
        return app.Use(async (context, next) =>
        {
            var given = context.Request.Headers[Header];
            var id = given.Count == 1 && IsWellFormed(given[0]) ? given[0]! : Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
            context.Request.Headers[Header] = id;
            context.Response.Headers[Header] = id;
            Activity.Current?.SetTag("http.request.id", id);
            using (logger.BeginScope(new RequestScope(id)))
            {
                await next(context);
            }
        });
    }

    public static bool IsWellFormed(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A log scope with one property, <c>RequestId</c> (a list so log providers see it as a named value).</summary>
    private sealed class RequestScope(string id) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new("CorrelationId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{id}";
    }
}
