using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>Problem-details answers for a domain refusal: 409 for the entity's state, 422 for a broken business rule.</summary>
internal static class Refusals
{
    public static ProblemHttpResult Problem<T>(DomainResult<T> refused) =>
        refused.RuleBroken is { } rule
            ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: rule)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: refused.ConflictReason);

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult Forbidden(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title);

    /// <summary>from/to as local dates (inclusive); both optional; from after to is an error on <c>to</c>.</summary>
    public static Dictionary<string, string[]> Period(DateOnly? from, DateOnly? to) =>
        from is not null && to is not null && from > to
            ? new() { ["to"] = ["to must not be before from."] }
            : [];
}
