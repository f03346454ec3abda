using Microsoft.AspNetCore.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Refuses a request whose query string, route values or form fields hold text that <see cref="TextRules"/> does not
/// accept, with a validation problem naming the parameter. JSON bodies are checked by <see cref="CheckedTextConverter"/>.
/// </summary>
internal sealed class RequestTextGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var refused = Check(context.Request.Query)
                      ?? Check(context.Request.RouteValues)
                      ?? await CheckFormAsync(context.Request);
        if (refused is not { } r)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        var message = $"{r.Field} {r.Refusal}";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [r.Field] = [message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = message,
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            },
        });
    }

    private static (string Field, string Refusal)? Check(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
    {
        foreach (var (name, texts) in values)
        {
            if (Refused(name, name) is { } onName)
            {
                return onName;
            }
            foreach (var text in texts)
            {
                if (text is not null && Refused(name, text) is { } onValue)
                {
                    return onValue;
                }
            }
        }
        return null;
    }

    private static (string Field, string Refusal)? Check(Microsoft.AspNetCore.Routing.RouteValueDictionary values)
    {
        foreach (var (name, value) in values)
        {
            if (value is string text && Refused(name, text) is { } refused)
            {
                return refused;
            }
        }
        return null;
    }

    private static async Task<(string Field, string Refusal)?> CheckFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }
        // Buffered and rewound: whoever reads the body next (the endpoint, OpenIddict, the gateway's proxy) reads it whole.
        request.EnableBuffering();
        try
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return Check(form);
        }
        catch (InvalidDataException)
        {
            // ASP.NET Core's form reader refuses some text itself (a NUL, say) without naming the field, and would do
            // so again, as an unhandled exception, for whoever reads the form next: name the field here if the form is
            // URL-encoded, otherwise refuse the body as a whole.
            return await CheckEncodedFormAsync(request) ?? ("body", "is not a form this service can read.");
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>The fields of an <c>application/x-www-form-urlencoded</c> body, decoded one by one, through the text rules.</summary>
    private static async Task<(string Field, string Refusal)?> CheckEncodedFormAsync(HttpRequest request)
    {
        if (!request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        request.Body.Position = 0;
        // The body was read whole once already (within the request body limit), so this read is bounded too.
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (Decode(parts[0]) is not { } name)
            {
                continue;
            }
            var refused = Refused(name, name) ?? (parts.Length > 1 && Decode(parts[1]) is { } value ? Refused(name, value) : null);
            if (refused is not null)
            {
                return refused;
            }
        }
        return null;

        static string? Decode(string encoded)
        {
            try
            {
                return Uri.UnescapeDataString(encoded.Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return null;
            }
        }
    }

    private static (string Field, string Refusal)? Refused(string field, string text) =>
        TextRules.Refusal(text) is { } refusal ? (Printable(field), refusal) : null;

    // The field's name goes back in the answer and into the log: never echo the control characters themselves.
    private static string Printable(string field) =>
        TextRules.Refusal(field) is null ? field : string.Concat(field.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c));
}
