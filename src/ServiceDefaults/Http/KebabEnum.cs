using System.Text.Json;

namespace Platform.ServiceDefaults.Http;

/// <summary>Reads an enumeration from a query string the way it is written in JSON ("food-delivery").</summary>
public static class KebabEnum
{
    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }
        result = default;
        return false;
    }

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The accepted words, for an error message.</summary>
    public static string Names<TEnum>() where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Select(v => Name(v)));

    /// <summary>
    /// An optional enum filter from a query string: null when absent, the value when it names one, otherwise null
    /// with an error naming <paramref name="field"/> added to <paramref name="errors"/>.
    /// </summary>
    public static TEnum? Filter<TEnum>(string? value, string field, IDictionary<string, string[]> errors) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }
        errors[field] = [$"{field} must be one of {Names<TEnum>()}."];
        return null;
    }
}
