using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;

namespace Platform.Rights.Apis;

/// <summary>Small pieces every rights API shares: workflow outcomes as problem details, query filters, saving.</summary>
internal static class ApiResults
{
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.", detail: detail);

    /// <summary>Reads an optional enumeration from the query string as it is spelled in JSON ("unpaid-wages").</summary>
    public static TEnum? Filter<TEnum>(Dictionary<string, string[]> errors, string name, string? value) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (KebabEnum.TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }
        errors[name] = [$"{name} must be one of {KebabEnum.Names<TEnum>()}."];
        return null;
    }

    /// <summary>Saves; false when someone else changed the same row in the meantime (answer 409 and let them retry).</summary>
    public static async Task<bool> TrySaveAsync(this DbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    public const string ChangedMeanwhile = "The case was changed by someone else in the meantime; read it again and retry.";
}
