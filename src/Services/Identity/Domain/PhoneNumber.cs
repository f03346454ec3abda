namespace Platform.Identity.Domain;

/// <summary>A mainland China mobile number as workers type it: spaces, dashes and a +86 / 0086 prefix are accepted.</summary>
public static class PhoneNumber
{
    /// <summary>The 11-digit form (e.g. <c>13812345678</c>), or null when <paramref name="input"/> is not a mobile number.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 30)
        {
            return null;
        }
        var digits = new string([.. input.Where(c => c is not (' ' or '-' or '(' or ')'))]);
        if (digits.StartsWith('+'))
        {
            digits = digits[1..];
        }
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        return digits.Length == 11 && digits[0] == '1' && digits[1] is >= '3' and <= '9' && digits.All(char.IsAsciiDigit)
            ? digits
            : null;
    }
}
