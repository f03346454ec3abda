using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// Every service's pipeline (<c>UseServiceDefaults</c>): problem answers and the text guard come before authentication,
/// so a caller without a token also gets a problem document, and text no service stores is refused before anything else.
/// </summary>
public sealed class ServicePipelineTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Platform:Auth:Issuer"] = TestTokens.Issuer;
        builder.AddServiceDefaults();
        TestTokens.TrustIn(builder.Services);
        _app = builder.Build();
        _app.UseServiceDefaults();
        _app.MapDefaultEndpoints();
        _app.MapGet("/communities", (string? district) => TypedResults.Ok(new { district })).RequireAuthorization();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

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
