using Microsoft.EntityFrameworkCore;

namespace Platform.Rights.Apis;

/// <summary>Saving a case under its row version: a change someone else made meanwhile is a 409, not an overwrite.</summary>
internal static class OptimisticSave
{
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
