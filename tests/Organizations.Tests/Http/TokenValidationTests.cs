using System.Net;
using System.Net.Http.Json;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>
/// A service called directly, bypassing the gateway (a misrouted call, a compromised neighbour on the network),
/// refuses the same bad tokens the gateway does: it validates tokens itself.
/// </summary>
public sealed class TokenValidationTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    [Theory]
    [MemberData(nameof(RefusedTokenCases))]
    public async Task A_bad_token_is_a_401_problem(string @case)
    {
        using var client = Service.CreateHttpClient(RefusedTokens.Create(@case));

        var response = await client.GetAsync("/communities");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string> RefusedTokenCases() => RefusedTokens.Cases();

    [Fact]
    public async Task No_token_is_a_401_problem_and_a_good_one_is_served()
    {
        using var anonymous = Service.CreateHttpClient();
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/communities"), HttpStatusCode.Unauthorized);

        using var worker = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, (await worker.GetAsync("/communities")).StatusCode);
    }

    [Fact]
    public async Task A_tampered_token_cannot_raise_a_worker_to_an_officer()
    {
        // The tampered token claims "operator"; a good worker token is refused on an officer's endpoint.
        using var worker = Service.CreateHttpClient(TestTokens.ForWorker(Guid.NewGuid()));
        var response = await worker.PostAsJsonAsync("/communities", ValidCommunity());
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        using var tampered = Service.CreateHttpClient(RefusedTokens.Create("tampered-signature"));
        await ProblemAssert.IsProblemAsync(await tampered.PostAsJsonAsync("/communities", ValidCommunity()), HttpStatusCode.Unauthorized);
    }
}
