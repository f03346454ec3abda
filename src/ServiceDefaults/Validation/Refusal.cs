namespace Platform.ServiceDefaults.Validation;

public enum RefusalKind
{
    /// <summary>Input that is wrong in itself (400, naming the fields).</summary>
    Invalid,
    /// <summary>Not possible in the record's current state, e.g. closing a closed case (409).</summary>
    Conflict,
    /// <summary>Well-formed and possible, but against a business rule for these parties, e.g. a cycle in a tree (422).</summary>
    BrokenRule,
}

/// <summary>
/// Why an entity refused a change, the one way every service says it. An operation that changes state returns
/// <c>Refusal?</c> (null when done) or <see cref="Outcome{T}"/> when it hands back a value; the API answers the refusal
/// with <c>ToProblem()</c> (<c>Platform.ServiceDefaults.Http.RefusalProblems</c>).
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Title, string? Detail = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Refusal Invalid(FieldErrors errors) => new(RefusalKind.Invalid, "The request is not valid.", null, errors.ToDictionary());

    public static Refusal Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static Refusal Conflict(string title, string? detail = null) => new(RefusalKind.Conflict, title, detail);

    public static Refusal Rule(string title, string? detail = null) => new(RefusalKind.BrokenRule, title, detail);
}

/// <summary>The outcome of a change that hands back a value (an event to publish, a new entity): the value, or the refusal.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }
    public Refusal? Refusal { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
