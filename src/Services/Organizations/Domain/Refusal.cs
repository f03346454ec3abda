using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

public enum RefusalKind
{
    /// <summary>Input that is wrong in itself (400, naming the fields).</summary>
    Invalid,
    /// <summary>Not possible in the record's current state, e.g. approving a rejected application (409).</summary>
    Conflict,
    /// <summary>Well-formed but against a rule of the organization tree, e.g. a cycle (422).</summary>
    BrokenRule,
}

/// <summary>Why a domain operation refused; the API turns it into problem details.</summary>
public sealed record Refusal(RefusalKind Kind, string Title, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Refusal Invalid(FieldErrors errors) => new(RefusalKind.Invalid, "The request is not valid.", null, errors.ToDictionary());

    public static Refusal Conflict(string title, string detail) => new(RefusalKind.Conflict, title, detail);

    public static Refusal Rule(string title, string detail) => new(RefusalKind.BrokenRule, title, detail);
}
