using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Organizations.Apis;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>
/// Runs the organizations service (its real Program) on Kestrel against a fresh database on the test PostgreSQL
/// server and the test RabbitMQ node, once per test.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class OrganizationsApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "organizations")
{
    /// <summary>An organization officer.</summary>
    protected HttpClient Client { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Client = ClientFor(TestTokens.For(Platform.ServiceDefaults.Security.PlatformRoles.OrgOfficer));
    }

    /// <summary>A district no other test uses, so that lists can be checked exactly.</summary>
    protected static string UniqueDistrict() => $"区{Guid.NewGuid():N}"[..20];

    protected static object ValidCommunity(string? district = null, string name = "银河北路社区", string street = "银河北路街道") => new
    {
        name,
        district = district ?? UniqueDistrict(),
        street,
        latitude = 39.5186,
        longitude = 116.6946,
    };

    protected static object ValidEnterprise(string? creditCode = null, string industry = "food-delivery", string name = "美团廊坊站", string? district = "广阳区") => new
    {
        name,
        creditCode = creditCode ?? CreditCodes.Unique(),
        industry,
        district,
    };

    /// <summary>Posts a body given as raw text (so that malformed or oddly typed JSON can be sent as is).</summary>
    protected async Task<HttpResponseMessage> PostRawAsync(string path, string? body, string? idempotencyKey = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, mediaType),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Idempotency.HeaderName, idempotencyKey);
        }
        return await Client.SendAsync(request);
    }

    protected Task<HttpResponseMessage> PostAsync(string path, object body, string? idempotencyKey = null) =>
        PostRawAsync(path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey);

    protected async Task<CommunityResponse> RegisterCommunityAsync(object body)
    {
        using var response = await PostAsync("/communities", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<CommunityResponse>(response);
    }

    protected async Task<EnterpriseResponse> RegisterEnterpriseAsync(object body)
    {
        using var response = await PostAsync("/enterprises", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<EnterpriseResponse>(response);
    }

    protected async Task<T> GetOkAsync<T>(string pathAndQuery)
    {
        using var response = await Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected Task<Page<CommunityResponse>> ListCommunitiesAsync(string query) => GetOkAsync<Page<CommunityResponse>>($"/communities{query}");

    /// <summary>
    /// The same community, allowing for the registration time as PostgreSQL stores it (microseconds); see
    /// <c>CommunitiesApiTests.The_registration_time_in_the_201_body_is_the_one_read_back</c>.
    /// </summary>
    protected static void AssertSame(CommunityResponse expected, CommunityResponse actual)
    {
        Assert.Equal(expected with { RegisteredAt = default }, actual with { RegisteredAt = default });
        Assert.True((expected.RegisteredAt - actual.RegisteredAt).Duration() < TimeSpan.FromMicroseconds(1), $"{expected.RegisteredAt:O} != {actual.RegisteredAt:O}");
    }

    protected static void AssertSame(EnterpriseResponse expected, EnterpriseResponse actual)
    {
        Assert.Equal(expected with { RegisteredAt = default }, actual with { RegisteredAt = default });
        Assert.True((expected.RegisteredAt - actual.RegisteredAt).Duration() < TimeSpan.FromMicroseconds(1), $"{expected.RegisteredAt:O} != {actual.RegisteredAt:O}");
    }

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        return await Client.SendAsync(request);
    }

    /// <summary>Posts and expects <paramref name="status"/>, returning the body.</summary>
    protected async Task<T> PostExpectingAsync<T>(string path, object body, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await PostAsync(path, body);
        Assert.True(response.StatusCode == status, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected Task<OrganizationResponse> ApplyAsync(string kind, Guid? parentId = null, Guid[]? enterpriseIds = null, Guid? localCommunityId = null, string name = "党支部") =>
        PostExpectingAsync<OrganizationResponse>("/organizations", new { name, kind, parentId, appliedOn = "2022-05-01", enterpriseIds = enterpriseIds ?? [], localCommunityId }, HttpStatusCode.Created);

    protected Task<OrganizationResponse> ApproveAsync(Guid id, string approvedOn = "2022-06-15") =>
        PostExpectingAsync<OrganizationResponse>($"/organizations/{id}/approval", new { approvedOn, approvingBody = "市委两新工委" });

    protected async Task<OrganizationResponse> EstablishAsync(string kind, Guid? parentId = null, Guid[]? enterpriseIds = null, Guid? localCommunityId = null, string name = "党支部") =>
        await ApproveAsync((await ApplyAsync(kind, parentId, enterpriseIds, localCommunityId, name)).Id);
}
