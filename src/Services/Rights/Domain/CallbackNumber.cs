using System.Text;

namespace Platform.Rights.Domain;

/// <summary>A telephone number to call an anonymous requester back on: digits, an optional leading +.</summary>
public static class CallbackNumber
{
    public const int MinDigits = 5;
    public const int MaxDigits = 20;

    /// <summary>Drops spaces, dashes, dots and brackets; null when what is left is not a phone number.</summary>
    public static string? Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var (c, i) in value.Trim().Select((c, i) => (c, i)))
        {
            if (char.IsAsciiDigit(c) || (c == '+' && i == 0))
            {
                text.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }
        var digits = text.ToString().TrimStart('+').Length;
        return digits is >= MinDigits and <= MaxDigits ? text.ToString() : null;
    }
}
