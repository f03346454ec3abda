using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Organizations.Domain;

namespace Platform.Organizations.Apis;

/// <summary>Domain refusals as problem details: 400 naming the fields, 409 for the record's state, 422 for a broken rule.</summary>
internal static class Refusals
{
    public static ValidationProblem AsValidationProblem(this Refusal refusal) =>
        TypedResults.ValidationProblem(refusal.Errors ?? new Dictionary<string, string[]>(), detail: refusal.Detail);

    public static ProblemHttpResult AsProblem(this Refusal refusal) =>
        TypedResults.Problem(
            statusCode: refusal.Kind == RefusalKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            title: refusal.Title,
            detail: refusal.Detail);

    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
