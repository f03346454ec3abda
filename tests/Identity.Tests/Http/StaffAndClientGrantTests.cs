using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Platform.Identity.Application;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>Staff sign in with a password, partner systems with client credentials, apps stay signed in with refresh tokens.</summary>
public sealed class StaffAndClientGrantTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    private const string Password = "银河北路-correct-horse-2026";
    private static readonly Guid CommunityA = Guid.Parse("0199e6c0-0000-7000-8000-00000000000a");
    private static readonly Guid CommunityB = Guid.Parse("0199e6c0-0000-7000-8000-00000000000b");
    private static readonly Guid Station = Guid.Parse("0199e6c0-0000-7000-8000-0000000000c1");
    private static readonly string[] EventsAndHazards = ["events", "hazards"];

    [Fact]
    public async Task A_staff_user_gets_a_token_with_role_communities_stations_and_district()
    {
        using var admin = await OperatorClientAsync();
        var id = await CreateStaffUserAsync(admin, new
        {
            userName = "Wang.Li",
            password = Password,
            role = PlatformRoles.CommunityStaff,
            communities = new[] { CommunityA, CommunityB },
            stations = new[] { Station },
            district = "广阳区",
        });

        // User names are not case-sensitive.
        var answer = await PasswordGrantAsync("wang.li", Password);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var jwt = answer.Jwt;
        Assert.Equal(id.ToString(), jwt.Subject);
        Assert.Equal([PlatformRoles.CommunityStaff], ClaimValues(jwt, PlatformClaims.Role));
        Assert.Equal([CommunityA.ToString(), CommunityB.ToString()], ClaimValues(jwt, PlatformClaims.Community).Order());
        Assert.Equal([Station.ToString()], ClaimValues(jwt, PlatformClaims.Station));
        Assert.Equal(["广阳区"], ClaimValues(jwt, PlatformClaims.District));
        Assert.Equal([PlatformClients.App], ClaimValues(jwt, PlatformClaims.ClientId));
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_user_is_the_same_invalid_grant()
    {
        using var admin = await OperatorClientAsync();
        await CreateStaffUserAsync(admin, new { userName = "keeper1", password = Password, role = PlatformRoles.StationKeeper });

        var wrong = await PasswordGrantAsync("keeper1", Password + "x");
        var unknown = await PasswordGrantAsync("nobody-here", Password);

        AssertOAuthError(wrong, "invalid_grant");
        AssertOAuthError(unknown, "invalid_grant");
        Assert.Equal(wrong.Body.GetProperty("error_description").GetString(), unknown.Body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_a_while()
    {
        using var admin = await OperatorClientAsync();
        await CreateStaffUserAsync(admin, new { userName = "officer1", password = Password, role = PlatformRoles.OrgOfficer });
        for (var i = 0; i < StaffUser.MaxFailedSignIns; i++)
        {
            AssertOAuthError(await PasswordGrantAsync("officer1", "not-the-password"), "invalid_grant");
        }

        AssertOAuthError(await PasswordGrantAsync("officer1", Password), "invalid_grant", "locked");
        Clock.Advance(StaffUser.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await PasswordGrantAsync("officer1", Password)).Status);
    }

    [Fact]
    public async Task The_password_is_stored_only_as_a_standard_hash()
    {
        using var admin = await OperatorClientAsync();
        var id = await CreateStaffUserAsync(admin, new { userName = "counsellor1", password = Password, role = PlatformRoles.Professional });

        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM staff_users t WHERE t::text LIKE @p", ("p", $"%{Password}%")));
        var hash = await Service.ScalarAsync<string>("SELECT \"PasswordHash\" FROM staff_users WHERE \"Id\" = @id", ("id", id));
        // ASP.NET Core Identity's format (v3: PBKDF2 with a random salt), checked by the standard hasher.
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]);
        var hasher = new PasswordHasher<StaffUser>();
        Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(null!, hash, Password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(null!, hash, Password + "x"));
    }

    [Fact]
    public async Task A_partner_client_gets_a_token_with_the_scopes_it_was_granted()
    {
        using var admin = await OperatorClientAsync();
        using var created = await admin.PostAsJsonAsync("/clients", new { clientId = "langfang-market-regulation", displayName = "廊坊市市场监督管理局", scopes = EventsAndHazards });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;

        var answer = await ClientCredentialsAsync("langfang-market-regulation", secret, "events hazards");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var jwt = answer.Jwt;
        Assert.Equal("langfang-market-regulation", jwt.Subject);
        Assert.Equal([PlatformRoles.PartnerAgency], ClaimValues(jwt, PlatformClaims.Role));
        Assert.Equal(["langfang-market-regulation"], ClaimValues(jwt, PlatformClaims.ClientId));
        Assert.Equal(["events", "hazards"], ClaimValues(jwt, PlatformClaims.Scope).SelectMany(s => s.Split(' ')).Order());
        Assert.Equal([PlatformAuthentication.DefaultAudience], jwt.Audiences);
        Assert.False(answer.Body.TryGetProperty("refresh_token", out _), "A system can always ask again: no refresh token.");
    }

    [Fact]
    public async Task A_partner_client_cannot_get_a_scope_it_was_not_granted_nor_use_a_wrong_secret()
    {
        using var admin = await OperatorClientAsync();
        using var created = await admin.PostAsJsonAsync("/clients", new { clientId = "langfang-transport", displayName = "廊坊市交通运输局", scopes = EventsAndHazards[..1] });
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;

        // A known scope the client was not granted (OpenIddict answers invalid_request here), and an unknown one.
        AssertOAuthError(await ClientCredentialsAsync("langfang-transport", secret, "statistics"), "invalid_request", "not allowed to use the specified scope");
        AssertOAuthError(await ClientCredentialsAsync("langfang-transport", secret, "everything"), "invalid_scope");
        AssertOAuthError(await ClientCredentialsAsync("langfang-transport", secret + "x", "events"), "invalid_client");
        // The app's public client has no secret and may not use client credentials.
        var app = await TokenAsync(("grant_type", "client_credentials"), ("client_id", PlatformClients.App));
        Assert.NotEqual(HttpStatusCode.OK, app.Status);
        Assert.Null(app.AccessToken);
    }

    [Fact]
    public async Task A_refresh_token_gives_new_tokens_once_and_the_used_one_is_dead()
    {
        var first = await SignInWorkerAsync(UniquePhone(), scope: "offline_access");
        Assert.NotNull(first.RefreshToken);

        var second = await RefreshAsync(first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotNull(second.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(first.Jwt.Subject, second.Jwt.Subject);
        Assert.Equal([PlatformRoles.Worker], ClaimValues(second.Jwt, PlatformClaims.Role));

        // Rotation: the used refresh token cannot be used again...
        AssertOAuthError(await RefreshAsync(first.RefreshToken!), "invalid_grant");
        // ...and presenting it again revokes the chain it started, as a stolen token would be.
        AssertOAuthError(await RefreshAsync(second.RefreshToken!), "invalid_grant");
    }

    [Fact]
    public async Task A_staff_refresh_carries_the_staff_claims_again()
    {
        using var admin = await OperatorClientAsync();
        await CreateStaffUserAsync(admin, new { userName = "keeper2", password = Password, role = PlatformRoles.StationKeeper, stations = new[] { Station } });
        var first = await PasswordGrantAsync("keeper2", Password, "offline_access");

        var refreshed = await RefreshAsync(first.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal([PlatformRoles.StationKeeper], ClaimValues(refreshed.Jwt, PlatformClaims.Role));
        Assert.Equal([Station.ToString()], ClaimValues(refreshed.Jwt, PlatformClaims.Station));
    }

    [Fact]
    public async Task Without_offline_access_no_refresh_token_is_given()
    {
        var answer = await SignInWorkerAsync(UniquePhone());
        Assert.Null(answer.RefreshToken);
    }
}
