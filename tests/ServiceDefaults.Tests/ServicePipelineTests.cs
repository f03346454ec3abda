using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// Every service's pipeline (<c>UseServiceDefaults</c>): problem answers and the text guard come before authentication,
/// so a caller without a token also gets a problem document, and text no service stores is refused before anything else.
/// </summary>
public sealed class ServicePipelineTests : IAsyncLifetime
{
    private DefaultsApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await DefaultsApp.StartAsync(app =>
            app.MapGet("/communities", (string? district) => TypedResults.Ok(new { district })).RequireAuthorization());
        _client = _app.Client;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_request_without_a_token_is_a_401_problem()
    {
        using var response = await _client.GetAsync(new Uri("/communities", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Text_no_service_stores_is_refused_by_field_before_the_token_is_looked_at()
    {
        using var response = await _client.GetAsync(new Uri("/communities?district=%00", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "district");
    }

    [Fact]
    public async Task A_request_with_a_token_reaches_its_endpoint()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/communities?district=广阳区", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For(Security.PlatformRoles.Operator));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
