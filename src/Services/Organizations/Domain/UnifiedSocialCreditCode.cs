namespace Platform.Organizations.Domain;

/// <summary>
/// The 18-character Unified Social Credit Code (统一社会信用代码) of GB 32100-2015: registering department (1),
/// organization type (1), administrative division (6 digits), organization code (9), check character (1).
/// Letters I, O, S, V and Z are never used.
/// </summary>
public sealed record UnifiedSocialCreditCode
{
    public const int Length = 18;
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public string Value { get; }

    private UnifiedSocialCreditCode(string value) => Value = value;

    public override string ToString() => Value;

    /// <summary>Parses a code (case-insensitive, surrounding spaces ignored); on failure says what is wrong.</summary>
    public static bool TryParse(string? input, out UnifiedSocialCreditCode? code, out string? error)
    {
        code = null;
        var value = input?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != Length)
        {
            error = $"A Unified Social Credit Code has {Length} characters; this one has {value.Length}.";
            return false;
        }
        for (var i = 0; i < Length; i++)
        {
            if (Alphabet.IndexOf(value[i], StringComparison.Ordinal) < 0)
            {
                error = $"Character {i + 1} ('{value[i]}') is not allowed; codes use digits and the letters A-Y except I, O, S, V, Z.";
                return false;
            }
        }
        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = "Characters 3 to 8 are the administrative division code and must be digits.";
                return false;
            }
        }
        var expected = CheckCharacter(value.AsSpan(0, Length - 1));
        if (value[Length - 1] != expected)
        {
            error = $"The check character is wrong: expected '{expected}' for these first 17 characters.";
            return false;
        }
        code = new UnifiedSocialCreditCode(value);
        error = null;
        return true;
    }

    /// <summary>The check character for the first 17 characters: 31 - (weighted sum mod 31), with 31 written as 0.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }
}
