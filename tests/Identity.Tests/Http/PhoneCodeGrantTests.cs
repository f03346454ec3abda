using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>A worker signs in with a phone number and a one-time code.</summary>
public sealed class PhoneCodeGrantTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    private static readonly string[] EventsScope = ["events"];

    [Fact]
    public async Task The_right_code_gives_a_worker_token_whose_subject_is_the_worker_id()
    {
        var phone = UniquePhone();
        var answer = await SignInWorkerAsync(phone);

        var jwt = answer.Jwt;
        Assert.True(Guid.TryParse(jwt.Subject, out var workerId), jwt.Subject);
        Assert.Equal([PlatformRoles.Worker], ClaimValues(jwt, PlatformClaims.Role));
        Assert.Equal(TestTokens.Issuer, jwt.Issuer);
        Assert.Equal([PlatformAuthentication.DefaultAudience], jwt.Audiences);
        Assert.Equal(PlatformAuthentication.AccessTokenType, jwt.Typ);
        Assert.Equal(workerId, await Service.ScalarAsync<Guid>("SELECT \"Id\" FROM workers"));
    }

    [Fact]
    public async Task The_same_phone_number_is_the_same_worker_at_every_sign_in()
    {
        var phone = UniquePhone();
        var first = (await SignInWorkerAsync(phone)).Jwt.Subject;
        // Typed differently (country code, spaces): still the same number.
        var code = await SendCodeAsync($"+86 {phone[..3]} {phone[3..7]} {phone[7..]}");
        var second = await PhoneCodeGrantAsync(phone, code);

        Assert.Equal(first, second.Jwt.Subject);
        Assert.NotEqual(first, (await SignInWorkerAsync(UniquePhone())).Jwt.Subject);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_the_right_one_still_works_afterwards()
    {
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        AssertOAuthError(await PhoneCodeGrantAsync(phone, wrong), "invalid_grant", "wrong");
        Assert.Equal(HttpStatusCode.OK, (await PhoneCodeGrantAsync(phone, code)).Status);
    }

    [Fact]
    public async Task A_code_older_than_five_minutes_is_refused()
    {
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);

        Clock.Advance(PhoneCode.Lifetime + TimeSpan.FromSeconds(1));

        AssertOAuthError(await PhoneCodeGrantAsync(phone, code), "invalid_grant", "expired");
    }

    [Fact]
    public async Task A_code_is_accepted_once()
    {
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);
        Assert.Equal(HttpStatusCode.OK, (await PhoneCodeGrantAsync(phone, code)).Status);

        AssertOAuthError(await PhoneCodeGrantAsync(phone, code), "invalid_grant", "already been used");
    }

    [Fact]
    public async Task After_five_wrong_attempts_even_the_right_code_is_refused()
    {
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var attempt = 1; attempt <= PhoneCode.MaxWrongAttempts; attempt++)
        {
            AssertOAuthError(await PhoneCodeGrantAsync(phone, wrong), "invalid_grant", "wrong");
        }

        AssertOAuthError(await PhoneCodeGrantAsync(phone, code), "invalid_grant", "too many");
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM workers"));
    }

    [Fact]
    public async Task A_new_code_retires_the_earlier_one()
    {
        var phone = UniquePhone();
        var first = await SendCodeAsync(phone);
        var second = await SendCodeAsync(phone);

        if (first != second)
        {
            AssertOAuthError(await PhoneCodeGrantAsync(phone, first), "invalid_grant");
        }
        Assert.Equal(HttpStatusCode.OK, (await PhoneCodeGrantAsync(phone, second)).Status);
    }

    [Fact]
    public async Task A_code_for_a_number_that_never_asked_is_refused()
    {
        AssertOAuthError(await PhoneCodeGrantAsync(UniquePhone(), "123456"), "invalid_grant");
    }

    [Fact]
    public async Task Missing_phone_or_code_is_an_invalid_request()
    {
        AssertOAuthError(await TokenAsync(("grant_type", Application.PlatformClients.PhoneCodeGrantType), ("client_id", Application.PlatformClients.App), ("phone", UniquePhone())),
            "invalid_request");
    }

    [Fact]
    public async Task Too_many_codes_for_one_number_in_an_hour_are_refused_with_retry_after()
    {
        var phone = UniquePhone();
        for (var i = 0; i < Apis.PhoneCodesApi.DefaultPerHour; i++)
        {
            await SendCodeAsync(phone);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var refused = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        // The first code of the hour was 5 minutes ago: the next one is allowed in 55 minutes.
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(54), TimeSpan.FromMinutes(56));
        Assert.Equal(Apis.PhoneCodesApi.DefaultPerHour, Codes.Sent.Count(s => s.Phone == phone));

        // Another number is not affected; the same number is allowed again once the hour has passed.
        using var other = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone = UniquePhone() });
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Clock.Advance(retryAfter.Value);
        using var later = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("23812345678")]
    [InlineData("phone")]
    [InlineData("")]
    public async Task A_number_that_is_not_a_mobile_number_is_a_400_naming_phone(string phone)
    {
        using var response = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "phone");
        Assert.Empty(Codes.Sent);
    }

    [Fact]
    public async Task Outside_development_the_code_is_not_in_the_answer()
    {
        var phone = UniquePhone();
        using var response = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain(Codes.LastFor(phone), body, StringComparison.Ordinal);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.True(!answer.TryGetProperty("code", out var code) || code.ValueKind == JsonValueKind.Null, body);
        Assert.Equal(PhoneCode.Digits, answer.GetProperty("digits").GetInt32());
    }

    [Fact]
    public async Task Neither_the_phone_number_nor_the_code_is_stored_in_clear()
    {
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);
        await PhoneCodeGrantAsync(phone, code);

        foreach (var table in new[] { "workers", "phone_codes", "\"OpenIddictTokens\"" })
        {
            Assert.Equal(0, await Service.ScalarAsync<long>($"SELECT count(*) FROM {table} t WHERE t::text LIKE @p", ("p", $"%{phone}%")));
        }
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM phone_codes t WHERE t::text LIKE @c", ("c", $"%{code}%")));
        // The number is kept, encrypted, and only the data key opens it.
        var stored = await Service.ScalarAsync<string>("SELECT \"Phone\" FROM workers");
        Assert.Equal(phone, new PersonalDataProtector(Convert.FromBase64String(Service.PersonalDataKey)).Unprotect(stored));
    }

    [Fact]
    public async Task A_role_sent_with_the_request_is_ignored_or_refused()
    {
        var phone = UniquePhone();
        // Mass assignment: an unknown field in the code request is refused...
        using var refused = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone, role = PlatformRoles.Operator });
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Empty(Codes.Sent);

        // ...and a role parameter on the token request does not make the worker anything else.
        var code = await SendCodeAsync(phone);
        var answer = await TokenAsync(("grant_type", Application.PlatformClients.PhoneCodeGrantType), ("client_id", Application.PlatformClients.App),
            ("phone", phone), ("code", code), ("role", PlatformRoles.Operator));
        Assert.Equal([PlatformRoles.Worker], ClaimValues(answer.Jwt, PlatformClaims.Role));
    }

    [Fact]
    public async Task A_partner_client_may_not_use_the_phone_code_grant()
    {
        using var admin = await OperatorClientAsync();
        using var created = await admin.PostAsJsonAsync("/clients", new { clientId = "sneaky-agency", displayName = "Sneaky", scopes = EventsScope });
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        var phone = UniquePhone();
        var code = await SendCodeAsync(phone);

        var answer = await TokenAsync(("grant_type", Application.PlatformClients.PhoneCodeGrantType), ("client_id", "sneaky-agency"), ("client_secret", secret),
            ("phone", phone), ("code", code));
        Assert.Equal("unauthorized_client", answer.Error);
    }
}
