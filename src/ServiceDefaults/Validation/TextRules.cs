namespace Platform.ServiceDefaults.Validation;

/// <summary>
/// What any text accepted by the platform may contain. PostgreSQL refuses a NUL inside text (a 500 if it got that far),
/// and other control characters or half a surrogate pair are never meant by a person: they are refused where input
/// enters (JSON bodies, query strings, route values, forms), in one place for every service.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="text"/> cannot be accepted, or null. Tab and line breaks are allowed: free text has them.</summary>
    public static string? Refusal(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return $"contains the control character U+{(int)c:X4}, which text does not accept.";
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains half of a surrogate pair, which is not valid text.";
            }
        }
        return null;
    }
}
