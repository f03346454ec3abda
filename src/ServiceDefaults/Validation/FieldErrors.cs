namespace Platform.ServiceDefaults.Validation;

/// <summary>
/// Collects what is wrong with an input, field by field, so that one answer lists every problem
/// (RFC 9457 validation problem details). Entities use it in their factory methods.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Checks a required text: present, not blank, at most <paramref name="maxLength"/> characters. Returns it trimmed.</summary>
    public string Text(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required.");
            return "";
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.");
        }
        return trimmed;
    }

    /// <summary>Checks an optional text; blank becomes null.</summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.");
        }
        return trimmed;
    }

    public T Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, $"{field} is required.");
            return default;
        }
        return value.Value;
    }

    public double Range(string field, double? value, double min, double max)
    {
        var v = Required(field, value);
        if (value is not null && (double.IsNaN(v) || v < min || v > max))
        {
            Add(field, $"{field} must be between {min} and {max}.");
        }
        return v;
    }

    /// <summary>A WGS-84 position from its two fields: each required and within its range.</summary>
    public Geography.GeoPoint Position(double? latitude, double? longitude, string latitudeField = "latitude", string longitudeField = "longitude") =>
        new(Range(latitudeField, latitude, -90, 90), Range(longitudeField, longitude, -180, 180));

    /// <summary>History older than this is an archive, not a working record: imports of an earlier ledger stop here.</summary>
    public static readonly TimeSpan MaxHistoryAge = TimeSpan.FromDays(2 * 365);

    /// <summary>
    /// A required time from an earlier ledger (an import): not in the future and within <see cref="MaxHistoryAge"/>;
    /// at the database's precision.
    /// </summary>
    public DateTimeOffset PastTime(string field, DateTimeOffset? value, DateTimeOffset now)
    {
        var at = Data.DatabaseTime.ToDatabasePrecision(Required(field, value));
        if (value is null)
        {
            return at;
        }
        if (at > now)
        {
            Add(field, $"{field} must not be in the future.");
        }
        else if (at < now - MaxHistoryAge)
        {
            Add(field, $"{field} must be within the last {MaxHistoryAge.TotalDays:F0} days.");
        }
        return at;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>The outcome of a domain operation that validates its input: a value, or the field errors.</summary>
public sealed record Validated<T>(T? Value, Dictionary<string, string[]> Errors) where T : class
{
    public bool IsValid => Value is not null;

    public static Validated<T> Ok(T value) => new(value, []);
    public static Validated<T> Invalid(FieldErrors errors) => new(null, errors.ToDictionary());
}
