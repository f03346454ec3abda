using Platform.Organizations.Domain;

namespace Platform.Organizations.Tests.Domain;

public class UnifiedSocialCreditCodeTests
{
    [Theory]
    // The example code printed in GB 32100-2015 itself.
    [InlineData("91350100M000100Y43")]
    // Huawei Technologies Co., Ltd. (Shenzhen), as published in its business licence.
    [InlineData("914403001922038216")]
    // Shenzhen Tencent Computer Systems Co., Ltd., as published in its business licence; ends in a letter.
    [InlineData("9144030071526726XG")]
    public void Real_published_codes_are_accepted(string code)
    {
        // The independent algorithm agrees that these are valid, so the fixture itself is checked.
        Assert.Equal(code[17], CreditCodes.Check(code[..17]));

        Assert.True(UnifiedSocialCreditCode.TryParse(code, out var parsed, out var error), error);

        Assert.Equal(code, parsed!.Value);
        Assert.Equal(code, parsed.ToString());
        Assert.Null(error);
    }

    [Theory]
    [InlineData("91131003MA0DXXXXX")] // company, Langfang Guangyang
    [InlineData("12100000400000000")] // public institution, central
    [InlineData("5311000050000000A")] // social organisation
    [InlineData("Y1110108ABCDEFGHJ")] // other kinds, every letter position used
    [InlineData("00000000000000000")]
    [InlineData("YY999999YYYYYYYYY")]
    public void Codes_completed_with_the_standard_check_character_are_accepted(string first17)
    {
        var code = CreditCodes.Complete(first17);

        Assert.True(UnifiedSocialCreditCode.TryParse(code, out var parsed, out var error), error);
        Assert.Equal(code, parsed!.Value);
    }

    [Fact]
    public void A_weighted_sum_divisible_by_31_gives_the_check_character_0()
    {
        // Search for a body whose check character is '0' (31 - 0 = 31, written as 0).
        var first17 = Enumerable.Range(0, 1000)
            .Select(i => $"91131003{i:D9}")
            .First(body => CreditCodes.Check(body) == '0');

        Assert.True(UnifiedSocialCreditCode.TryParse(first17 + "0", out _, out var error), error);
        Assert.Equal('0', UnifiedSocialCreditCode.CheckCharacter(first17));
    }

    [Fact]
    public void The_check_character_agrees_with_the_standard_on_many_codes()
    {
        var random = new Random(32100);
        for (var n = 0; n < 2000; n++)
        {
            var first17 = string.Concat(Enumerable.Range(0, 17).Select(i =>
                i is >= 2 and < 8 ? (char)('0' + random.Next(10)) : CreditCodes.Alphabet[random.Next(CreditCodes.Alphabet.Length)]));

            Assert.Equal(CreditCodes.Check(first17), UnifiedSocialCreditCode.CheckCharacter(first17));
        }
    }

    [Theory]
    [InlineData("91350100m000100y43")]
    [InlineData("  91350100M000100Y43  ")]
    [InlineData("\t91350100m000100Y43\n")]
    public void Lower_case_and_surrounding_spaces_are_normalised(string input)
    {
        Assert.True(UnifiedSocialCreditCode.TryParse(input, out var parsed, out var error), error);

        Assert.Equal("91350100M000100Y43", parsed!.Value);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("91350100M000100Y4", 17)]
    [InlineData("91350100M000100Y431", 19)]
    [InlineData("9135 0100M000100Y43", 19)]
    public void A_code_of_the_wrong_length_is_refused_saying_so(string? input, int length)
    {
        Assert.False(UnifiedSocialCreditCode.TryParse(input, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains("18 characters", error);
        Assert.Contains($"this one has {length}", error);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    [InlineData('i')]
    [InlineData('o')]
    [InlineData('z')]
    public void The_letters_I_O_S_V_Z_are_refused_naming_the_position(char letter)
    {
        var code = "91350100M" + letter + "00100Y43";

        Assert.False(UnifiedSocialCreditCode.TryParse(code, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains("Character 10", error);
        Assert.Contains($"'{char.ToUpperInvariant(letter)}'", error);
        Assert.Contains("I, O, S, V, Z", error);
    }

    [Theory]
    [InlineData('-')]
    [InlineData('*')]
    [InlineData('中')]
    public void Characters_outside_the_code_alphabet_are_refused(char character)
    {
        var code = "913501" + character + "0M000100Y43";

        Assert.False(UnifiedSocialCreditCode.TryParse(code, out _, out var error));

        Assert.Contains("Character 7", error);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    public void Letters_in_the_administrative_division_positions_3_to_8_are_refused(int index)
    {
        // A correct check character, so that only the division rule is broken.
        var first17 = "91350100M000100Y4".ToCharArray();
        first17[index] = 'A';
        var code = CreditCodes.Complete(new string(first17));

        Assert.False(UnifiedSocialCreditCode.TryParse(code, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains("3 to 8", error);
        Assert.Contains("digits", error);
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("914403001922038216")]
    [InlineData("9144030071526726XG")]
    public void A_wrong_check_character_is_refused_naming_the_expected_one(string valid)
    {
        var wrong = CreditCodes.WithWrongCheck(valid);

        Assert.False(UnifiedSocialCreditCode.TryParse(wrong, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains("check character", error);
        Assert.Contains($"expected '{valid[17]}'", error);
    }

    [Fact]
    public void Swapping_two_characters_is_caught_by_the_check_character()
    {
        // 91350100M000100Y43 with the 10th and 11th characters swapped ("M0" -> "0M" at 9-10).
        var swapped = "913501000M00100Y43";

        Assert.False(UnifiedSocialCreditCode.TryParse(swapped, out _, out var error));
        Assert.Contains("check character", error);
    }
}
