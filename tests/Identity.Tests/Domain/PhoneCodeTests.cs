using Platform.Identity.Domain;

namespace Platform.Identity.Tests.Domain;

public sealed class PhoneCodeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    // Any keyed hash will do for the rules; the service uses the personal-data blind index.
    private static string Hash(string input) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("k" + input)));

    [Fact]
    public void A_code_has_six_digits_and_only_its_hash_is_kept()
    {
        var (code, plain) = PhoneCode.Issue("index", Now, Hash);
        Assert.Matches("^[0-9]{6}$", plain);
        Assert.DoesNotContain(plain, code.CodeHash, StringComparison.Ordinal);
        Assert.Equal(Now + TimeSpan.FromMinutes(5), code.ExpiresAt);
    }

    [Fact]
    public void The_right_code_is_accepted_once()
    {
        var (code, plain) = PhoneCode.Issue("index", Now, Hash);
        Assert.Equal(CodeCheck.Accepted, code.Check(plain, Now.AddMinutes(1), Hash));
        Assert.Equal(CodeCheck.AlreadyUsed, code.Check(plain, Now.AddMinutes(1), Hash));
    }

    [Fact]
    public void At_five_minutes_the_code_has_expired()
    {
        var (code, plain) = PhoneCode.Issue("index", Now, Hash);
        Assert.Equal(CodeCheck.Expired, code.Check(plain, Now + PhoneCode.Lifetime, Hash));
    }

    [Fact]
    public void Five_wrong_codes_kill_it()
    {
        var (code, plain) = PhoneCode.Issue("index", Now, Hash);
        var wrong = plain == "000000" ? "000001" : "000000";
        for (var i = 0; i < PhoneCode.MaxWrongAttempts; i++)
        {
            Assert.Equal(CodeCheck.Wrong, code.Check(wrong, Now, Hash));
        }
        Assert.Equal(CodeCheck.TooManyAttempts, code.Check(plain, Now, Hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    public void Anything_but_six_digits_is_a_wrong_attempt(string? typed)
    {
        var (code, _) = PhoneCode.Issue("index", Now, Hash);
        Assert.Equal(CodeCheck.Wrong, code.Check(typed, Now, Hash));
        Assert.Equal(1, code.WrongAttempts);
    }

    [Fact]
    public void The_same_digits_of_another_code_hash_differently()
    {
        var (first, _) = PhoneCode.Issue("index", Now, Hash);
        var (second, _) = PhoneCode.Issue("index", Now, Hash);
        // The hash is bound to the code's id, so equal codes are not visible as equal hashes.
        Assert.NotEqual(first.Id, second.Id);
    }
}

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("+86 138 1234 5678", "13812345678")]
    [InlineData("0086-138-1234-5678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("199 0000 1111", "19900001111")]
    public void Mobile_numbers_are_normalized_to_eleven_digits(string input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12812345678")]
    [InlineData("1381234567")]
    [InlineData("138123456789")]
    [InlineData("0316-1234567")]
    [InlineData("１３８１２３４５６７８")]
    public void Anything_else_is_not_a_mobile_number(string? input) => Assert.Null(PhoneNumber.Normalize(input));
}

public sealed class StaffUserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static StaffUser Create(string role = "community-staff") =>
        StaffUser.Create("Li.Na", "a-long-enough-password", role, null, null, null, Now, (_, p) => "hash-of-" + p.Length).Value!;

    [Fact]
    public void The_user_name_is_kept_in_lower_case_and_the_password_only_hashed()
    {
        var user = Create();
        Assert.Equal("li.na", user.UserName);
        Assert.Equal("hash-of-22", user.PasswordHash);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("partner-agency")]
    [InlineData("root")]
    public void Only_staff_roles_are_allowed(string role)
    {
        var created = StaffUser.Create("x1", "a-long-enough-password", role, null, null, null, Now, (_, _) => "h");
        Assert.False(created.IsValid);
        Assert.Equal(["role"], created.Errors.Keys);
    }

    [Fact]
    public void Five_wrong_passwords_lock_for_fifteen_minutes_and_a_right_one_resets()
    {
        var user = Create();
        for (var i = 0; i < StaffUser.MaxFailedSignIns - 1; i++)
        {
            user.RecordSignIn(false, Now);
        }
        Assert.False(user.IsLockedOut(Now));
        user.RecordSignIn(false, Now);
        Assert.True(user.IsLockedOut(Now.AddMinutes(14)));
        Assert.False(user.IsLockedOut(Now.AddMinutes(15)));
        user.RecordSignIn(true, Now.AddMinutes(15));
        Assert.Null(user.LockedUntil);
    }
}
