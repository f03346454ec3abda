namespace Platform.Organizations.Tests;

/// <summary>
/// The GB 32100-2015 check character, computed here independently of the service's code, and valid codes built with it.
/// </summary>
public static class CreditCodes
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static int _sequence = Environment.ProcessId % 100_000;

    public static char Check(string first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("17 characters expected.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not in the code alphabet.", nameof(first17));
            }
            sum += value * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>The first 17 characters followed by their check character.</summary>
    public static string Complete(string first17) => first17 + Check(first17);

    /// <summary>A valid code not used before in this test run: a company (91) in Langfang (131003).</summary>
    public static string Unique()
    {
        var n = Interlocked.Increment(ref _sequence);
        var random = Random.Shared;
        var organization = string.Concat(Enumerable.Range(0, 4).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
        return Complete($"91131003{organization}{n % 100_000:D5}");
    }

    /// <summary>Replaces the check character of a valid code by another, wrong one.</summary>
    public static string WithWrongCheck(string code)
    {
        var right = Alphabet.IndexOf(code[17], StringComparison.Ordinal);
        return code[..17] + Alphabet[(right + 1) % Alphabet.Length];
    }
}
