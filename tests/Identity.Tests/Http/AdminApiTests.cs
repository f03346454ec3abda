using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Identity.Apis;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>Only operators create and list staff users and partner clients; nothing raises a role by the back door.</summary>
public sealed class AdminApiTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    private const string Password = "a-long-enough-password";
    private static readonly string[] Events = ["events"];
    private static readonly string[] StatisticsAndEvents = ["statistics", "events"];
    private static readonly string[] Unknown = ["everything"];

    [Fact]
    public async Task Workers_staff_and_partner_systems_are_forbidden_the_admin_endpoints()
    {
        using var admin = await OperatorClientAsync();
        await CreateStaffUserAsync(admin, new { userName = "supervisor1", password = Password, role = PlatformRoles.Supervisor });
        using var created = await admin.PostAsJsonAsync("/clients", new { clientId = "red-cross", displayName = "红十字会", scopes = Events });
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;

        var tokens = new Dictionary<string, string>
        {
            ["worker"] = (await SignInWorkerAsync(UniquePhone())).AccessToken!,
            ["supervisor"] = (await PasswordGrantAsync("supervisor1", Password)).AccessToken!,
            ["partner"] = (await ClientCredentialsAsync("red-cross", secret, "events")).AccessToken!,
        };
        foreach (var (who, token) in tokens)
        {
            using var client = Service.CreateHttpClient(token);
            using var createUser = await client.PostAsJsonAsync("/users", new { userName = $"made-by-{who}", password = Password, role = PlatformRoles.Operator });
            using var listUsers = await client.GetAsync(new Uri("/users", UriKind.Relative));
            using var createClient = await client.PostAsJsonAsync("/clients", new { clientId = $"made-by-{who}", displayName = "x", scopes = Events });
            using var listClients = await client.GetAsync(new Uri("/clients", UriKind.Relative));
            Assert.All(new[] { createUser, listUsers, createClient, listClients }, r => Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{who}: {r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} was {(int)r.StatusCode}"));
        }
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM staff_users WHERE \"UserName\" LIKE 'made-by-%'"));

        using var anonymous = await Anonymous.PostAsJsonAsync("/users", new { userName = "made-by-nobody", password = Password, role = PlatformRoles.Operator });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("""{"userName":"sneaky","password":"a-long-enough-password","role":"community-staff","roles":["operator"]}""", "roles")]
    [InlineData("""{"userName":"sneaky","password":"a-long-enough-password","role":"community-staff","isOperator":true}""", "isOperator")]
    [InlineData("""{"userName":"sneaky","password":"a-long-enough-password","role":"community-staff","passwordHash":"AQAAAA"}""", "passwordHash")]
    [InlineData("""{"userName":"sneaky","password":"a-long-enough-password","role":"community-staff","id":"0199e6c0-0000-7000-8000-000000000001"}""", "id")]
    public async Task A_field_the_api_does_not_take_is_refused_and_creates_nothing(string body, string field)
    {
        using var admin = await OperatorClientAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri("/users", UriKind.Relative), content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM staff_users WHERE \"UserName\" = 'sneaky'"));
    }

    [Theory]
    [InlineData(PlatformRoles.Worker)]
    [InlineData(PlatformRoles.PartnerAgency)]
    [InlineData("admin")]
    public async Task A_staff_user_cannot_be_given_a_role_that_is_not_a_staff_role(string role)
    {
        using var admin = await OperatorClientAsync();
        using var response = await admin.PostAsJsonAsync("/users", new { userName = "not-staff", password = Password, role });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "role");
    }

    [Fact]
    public async Task Bad_staff_input_names_every_field()
    {
        using var admin = await OperatorClientAsync();
        using var response = await admin.PostAsJsonAsync("/users", new { userName = "has space", password = "short", communities = new[] { Guid.Empty } });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "userName", "password", "role", "communities");
        Assert.Equal(["communities", "password", "role", "userName"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_taken_user_name_is_a_409()
    {
        using var admin = await OperatorClientAsync();
        await CreateStaffUserAsync(admin, new { userName = "dup", password = Password, role = PlatformRoles.OrgOfficer });
        using var again = await admin.PostAsJsonAsync("/users", new { userName = "DUP", password = Password, role = PlatformRoles.Supervisor });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Staff_users_are_listed_in_pages_by_role_without_password_hashes()
    {
        using var admin = await OperatorClientAsync();
        for (var i = 1; i <= 3; i++)
        {
            await CreateStaffUserAsync(admin, new { userName = $"staff{i}", password = Password, role = PlatformRoles.CommunityStaff });
        }

        using var response = await admin.GetAsync(new Uri("/users?role=community-staff&page=2&pageSize=2", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var page = JsonSerializer.Deserialize<Page<StaffUserResponse>>(body, Microsoft.Extensions.Hosting.PlatformJson.Options)!;

        Assert.Equal(3, page.Total);
        Assert.Equal(["staff3"], page.Items.Select(u => u.UserName));
        Assert.DoesNotContain("AQAAAA", body, StringComparison.Ordinal);
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);

        using var tooBig = await admin.GetAsync(new Uri("/users?pageSize=1000", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(tooBig, HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task A_role_filter_with_a_nul_is_a_400_naming_role()
    {
        using var admin = await OperatorClientAsync();

        using var response = await admin.GetAsync(new Uri("/users?role=%00", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "role");
        Assert.Equal(["role"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_sign_in_form_with_a_nul_in_the_user_name_is_a_400_naming_it_and_the_right_password_still_works()
    {
        var refused = await PasswordGrantAsync("oper\0ator", OperatorPassword);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty("username", out _), refused.Body.ToString());

        // The form was read once by the guard and is still whole for the token server.
        Assert.False(string.IsNullOrEmpty(await OperatorTokenAsync()));
    }

    [Fact]
    public async Task A_partner_client_secret_is_shown_once_and_never_listed()
    {
        using var admin = await OperatorClientAsync();
        using var created = await admin.PostAsJsonAsync("/clients", new { clientId = "trade-union", displayName = "廊坊市总工会", scopes = StatisticsAndEvents });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await ReadAsync<PartnerClientCreated>(created);
        Assert.True(answer.ClientSecret.Length >= 40, "A generated secret of 32 random bytes.");

        using var listed = await admin.GetAsync(new Uri("/clients", UriKind.Relative));
        var body = await listed.Content.ReadAsStringAsync();
        var page = JsonSerializer.Deserialize<Page<PartnerClientResponse>>(body, Microsoft.Extensions.Hosting.PlatformJson.Options)!;
        var client = Assert.Single(page.Items);
        Assert.Equal(("trade-union", "廊坊市总工会"), (client.ClientId, client.DisplayName));
        Assert.Equal(["events", "statistics"], client.Scopes);
        Assert.DoesNotContain(answer.ClientSecret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("platform-app", body, StringComparison.Ordinal);
        // Only a hash of the secret is stored.
        Assert.Equal(0, await Service.ScalarAsync<long>("SELECT count(*) FROM \"OpenIddictApplications\" t WHERE t::text LIKE @s", ("s", $"%{answer.ClientSecret}%")));

        using var again = await admin.PostAsJsonAsync("/clients", new { clientId = "trade-union", displayName = "again", scopes = Events });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_client_input_names_every_field()
    {
        using var admin = await OperatorClientAsync();
        using var response = await admin.PostAsJsonAsync("/clients", new { clientId = "Bad Id", scopes = Unknown });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "clientId", "displayName", "scopes");
        Assert.Equal(["clientId", "displayName", "scopes"], ProblemAssert.ErrorFields(problem));

        using var own = await admin.PostAsJsonAsync("/clients", new { clientId = "platform-app", displayName = "x", scopes = Events });
        await ProblemAssert.IsProblemAsync(own, HttpStatusCode.BadRequest, "clientId");
    }
}

/// <summary>In a local run (Development) the code is in the answer, so a developer can sign in as a worker without SMS.</summary>
public sealed class DevelopmentPhoneCodeTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["environment"] = "Development" };

    [Fact]
    public async Task In_development_the_answer_carries_the_code_that_was_sent()
    {
        var phone = UniquePhone();
        using var response = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        var answer = await ReadAsync<PhoneCodeSent>(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Codes.LastFor(phone), answer.Code);
        Assert.Equal(HttpStatusCode.OK, (await PhoneCodeGrantAsync(phone, answer.Code!)).Status);
    }
}
