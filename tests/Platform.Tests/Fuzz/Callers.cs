using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Tests.Fuzz;

/// <summary>
/// A signed-in caller of every role, obtained as app teams obtain them through the gateway: staff users created by the
/// operator (password grant), a worker (phone one-time code), a partner system (client credentials). Each operation is
/// called as a role it allows, so that its input is read rather than refused at the door with a 403.
/// </summary>
public sealed class Callers
{
    private readonly Dictionary<string, AuthenticationHeaderValue> _tokens;

    private Callers(Dictionary<string, AuthenticationHeaderValue> tokens) => _tokens = tokens;

    /// <summary>The role an operation is called as: the operator where allowed (it may do most), else the first role named.</summary>
    public string RoleFor(ApiOperation operation) =>
        operation.Roles.Count == 0 || operation.Roles.Contains("operator") ? "operator" : operation.Roles.First(_tokens.ContainsKey);

    public AuthenticationHeaderValue TokenFor(ApiOperation operation) => _tokens[RoleFor(operation)];

    public static async Task<Callers> SignInAsync(PlatformFixture platform)
    {
        var tokens = new Dictionary<string, AuthenticationHeaderValue> { ["operator"] = platform.Operator.DefaultRequestHeaders.Authorization! };
        foreach (var role in new[] { "community-staff", "station-keeper", "org-officer", "professional", "supervisor" })
        {
            var userName = $"fuzz-{role}-{Guid.NewGuid():N}"[..30];
            var password = $"Fuzz-{Guid.NewGuid():N}";
            using var created = await platform.Operator.PostAsJsonAsync("/api/identity/users", new { userName, password, role, district = "广阳区" });
            await EnsureAsync(created, $"creating the {role} user");
            tokens[role] = Bearer(await platform.PasswordTokenAsync(userName, password));
        }

        var phone = "139" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        using var sent = await platform.Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone });
        await EnsureAsync(sent, "sending the worker's code");
        // Local runs are Development: the code is in the answer.
        var code = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        tokens["worker"] = await GrantAsync(platform, "the worker's sign-in", ("grant_type", "urn:platform:grant-type:phone-code"),
            ("client_id", "platform-app"), ("phone", phone), ("code", code));

        var clientId = $"fuzz-agency-{Guid.NewGuid():N}"[..24];
        using var client = await platform.Operator.PostAsJsonAsync("/api/identity/clients", new { clientId, displayName = "模糊测试合作单位", scopes = new[] { "events" } });
        await EnsureAsync(client, "creating the partner client");
        var secret = (await client.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        tokens["partner-agency"] = await GrantAsync(platform, "the partner's token", ("grant_type", "client_credentials"), ("client_id", clientId),
            ("client_secret", secret), ("scope", "events"));
        return new Callers(tokens);
    }

    private static async Task<AuthenticationHeaderValue> GrantAsync(PlatformFixture platform, string what, params (string Name, string Value)[] form)
    {
        var (status, body) = await platform.TokenRequestAsync(form);
        return status == System.Net.HttpStatusCode.OK
            ? Bearer(body.GetProperty("access_token").GetString()!)
            : throw new InvalidOperationException($"{what} refused: {(int)status} {body}");
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
