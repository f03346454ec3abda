using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Http;

/// <summary>The one answer to a refusal: a validation problem naming the fields (400), 409 for the state, 422 for a rule.</summary>
public static class RefusalProblems
{
    public static ProblemHttpResult ToProblem(this Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(
            refusal.Errors?.ToDictionary() ?? [])
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = refusal.Detail,
        }),
        RefusalKind.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: refusal.Title, detail: refusal.Detail),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: refusal.Title, detail: refusal.Detail),
    };
}
