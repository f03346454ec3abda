using Microsoft.AspNetCore.Http.HttpResults;

namespace Platform.Volunteers.Apis;

/// <summary>
/// Answers the volunteers APIs share that are not an entity's refusal (those are <c>Refusal.ToProblem()</c>): an act
/// outside the caller's own communities, and the from/to period of a report.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Forbidden(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title);

    /// <summary>from/to as local dates (inclusive); both optional; from after to is an error on <c>to</c>.</summary>
    public static Dictionary<string, string[]> Period(DateOnly? from, DateOnly? to) =>
        from is not null && to is not null && from > to
            ? new() { ["to"] = ["to must not be before from."] }
            : [];
}
