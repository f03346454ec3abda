using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Identity.Application;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>Captures the codes the service sends instead of an SMS gateway (the sender is pluggable).</summary>
public sealed class CapturedPhoneCodes : IPhoneCodeSender
{
    private readonly ConcurrentQueue<(string Phone, string Code)> _sent = new();

    public IReadOnlyList<(string Phone, string Code)> Sent => [.. _sent];

    public string LastFor(string phone) => _sent.Last(s => s.Phone == phone).Code;

    public Task SendAsync(string phone, string code, CancellationToken cancellationToken)
    {
        _sent.Enqueue((phone, code));
        return Task.CompletedTask;
    }
}

/// <summary>An answer of the token endpoint: a token set or an OAuth error.</summary>
public sealed record TokenAnswer(HttpStatusCode Status, JsonElement Body)
{
    public string? AccessToken => Body.TryGetProperty("access_token", out var t) ? t.GetString() : null;
    public string? RefreshToken => Body.TryGetProperty("refresh_token", out var t) ? t.GetString() : null;
    public string? Error => Body.TryGetProperty("error", out var e) ? e.GetString() : null;

    public JsonWebToken Jwt => new(AccessToken ?? throw new InvalidOperationException($"No access token: {Body}"));
}

/// <summary>
/// Runs the identity service (its real Program) on Kestrel against a fresh database, validating its own real tokens
/// (not the test key), with a clock the test moves and a sender that captures codes. One service per test.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class IdentityApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "identity")
{
    public const string JwksPath = "/.well-known/jwks";
    private readonly string _passwordFile = Path.Combine(Path.GetTempPath(), $"operator-{Guid.NewGuid():N}.password");

    /// <summary>A client without a token.</summary>
    protected HttpClient Anonymous { get; private set; } = null!;
    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    protected CapturedPhoneCodes Codes { get; } = new();
    protected string PasswordFile => _passwordFile;

    /// <summary>More settings for the service of this test class (e.g. the environment).</summary>
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override bool HasBus => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Anonymous = ClientFor(null);
    }

    protected override ServiceFactory<Program> CreateService(ServiceFactory<Program>? restartOf = null) =>
        StartService(new Dictionary<string, string>(Settings), restartOf);

    /// <summary>A service on this test's clock and code sender; with <paramref name="settings"/> e.g. another's database.</summary>
    protected ServiceFactory<Program> StartService(Dictionary<string, string> settings, ServiceFactory<Program>? restartOf = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.TryAdd(BootstrapOperator.PasswordFileSetting, _passwordFile);
        return new ServiceFactory<Program>(Infrastructure, "identity", settings, JwksPath, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IPhoneCodeSender>(Codes);
        }, restartOf);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_passwordFile);
    }

    protected string OperatorPassword => File.ReadAllText(_passwordFile).Trim();

    /// <summary>Posts a form to /connect/token.</summary>
    protected async Task<TokenAnswer> TokenAsync(params (string Name, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var response = await Anonymous.PostAsync(new Uri("/connect/token", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return new TokenAnswer(response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    protected Task<TokenAnswer> PasswordGrantAsync(string userName, string password, string scope = "") =>
        TokenAsync(("grant_type", "password"), ("client_id", PlatformClients.App), ("username", userName), ("password", password), ("scope", scope));

    protected Task<TokenAnswer> PhoneCodeGrantAsync(string phone, string code, string scope = "") =>
        TokenAsync(("grant_type", PlatformClients.PhoneCodeGrantType), ("client_id", PlatformClients.App), ("phone", phone), ("code", code), ("scope", scope));

    protected Task<TokenAnswer> RefreshAsync(string refreshToken) =>
        TokenAsync(("grant_type", "refresh_token"), ("client_id", PlatformClients.App), ("refresh_token", refreshToken));

    protected Task<TokenAnswer> ClientCredentialsAsync(string clientId, string secret, string scope) =>
        TokenAsync(("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", scope));

    /// <summary>The bootstrap operator's access token.</summary>
    protected async Task<string> OperatorTokenAsync()
    {
        var answer = await PasswordGrantAsync(BootstrapOperator.UserName, OperatorPassword);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
        return answer.AccessToken!;
    }

    protected async Task<HttpClient> OperatorClientAsync() => ClientFor(await OperatorTokenAsync());

    /// <summary>Asks for a code and returns what was "sent" to the phone.</summary>
    protected async Task<string> SendCodeAsync(string phone)
    {
        using var response = await Anonymous.PostAsJsonAsync("/phone-codes", new { phone });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return Codes.LastFor(Platform.Identity.Domain.PhoneNumber.Normalize(phone) ?? phone);
    }

    /// <summary>A mobile number no other test uses.</summary>
    protected static string UniquePhone() => "139" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A worker's token through the whole phone-code flow.</summary>
    protected async Task<TokenAnswer> SignInWorkerAsync(string phone, string scope = "")
    {
        var code = await SendCodeAsync(phone);
        var answer = await PhoneCodeGrantAsync(phone, code, scope);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
        return answer;
    }

    /// <summary>Creates a staff user through the admin API (as the operator) and returns its id.</summary>
    protected async Task<Guid> CreateStaffUserAsync(HttpClient operatorClient, object body)
    {
        using var response = await operatorClient.PostAsJsonAsync("/users", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>All values of a claim (a JWT array or a single value).</summary>
    protected static string[] ClaimValues(JsonWebToken jwt, string type) =>
        [.. jwt.Claims.Where(c => c.Type == type).Select(c => c.Value)];

    protected static void AssertOAuthError(TokenAnswer answer, string error, string? descriptionContains = null)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest || (error == "invalid_client" && answer.Status == HttpStatusCode.Unauthorized),
            $"Expected 400 {error}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal(error, answer.Error);
        Assert.Null(answer.AccessToken);
        if (descriptionContains is not null)
        {
            Assert.Contains(descriptionContains, answer.Body.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
