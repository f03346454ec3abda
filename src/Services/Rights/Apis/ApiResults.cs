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
