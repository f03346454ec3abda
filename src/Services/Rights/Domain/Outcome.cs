using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

/// <summary>
/// The result of a workflow step: done, refused for bad input (400, naming the fields) or refused because the case
/// is not in a state that allows it (409).
/// </summary>
public sealed record Outcome(Dictionary<string, string[]>? Errors, string? Conflict)
{
    public static readonly Outcome Done = new(null, null);

    public bool IsDone => Errors is null && Conflict is null;

    public static Outcome Invalid(FieldErrors errors) => new(errors.ToDictionary(), null);

    public static Outcome Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static Outcome Refused(string conflict) => new(null, conflict);
}
