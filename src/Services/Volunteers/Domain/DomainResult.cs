namespace Platform.Volunteers.Domain;

/// <summary>
/// The outcome of a state change on an entity: done (with a value), refused because of the entity's state (409),
/// refused because a business rule does not let it happen to these parties (422), or refused because of the input
/// (400, naming the field).
/// </summary>
public sealed record DomainResult<T>(T? Value, string? ConflictReason, Dictionary<string, string[]>? Errors, string? RuleBroken = null)
{
    public bool IsOk => ConflictReason is null && Errors is null && RuleBroken is null;

    public static DomainResult<T> Ok(T value) => new(value, null, null);
    public static DomainResult<T> Conflict(string reason) => new(default, reason, null);
    public static DomainResult<T> Invalid(string field, string message) => new(default, null, new() { [field] = [message] });
    public static DomainResult<T> Unprocessable(string reason) => new(default, null, null, reason);

    /// <summary>The same refusal for another value type.</summary>
    public DomainResult<TOther> As<TOther>() => new(default, ConflictReason, Errors, RuleBroken);
}
