using System.Net;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.Volunteers.Tests.Http;

public sealed class ApiDescriptionTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task The_openapi_document_describes_teams_service_hours_and_merit_review_and_none_of_them_is_anonymous()
    {
        using var response = await Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        string[] described =
        [
            "/vanguard-teams", "/vanguard-teams/{id}/members", "/vanguard-teams/{id}/leader", "/workers/me/vanguard-team",
            "/workers/me/service-logs", "/service-logs/{id}/confirm", "/service-hours/teams", "/workers/me/service-hours",
            "/merit-reviews/{month}/nominations", "/merit-reviews/{month}/nominations/{id}/score", "/merit-reviews/{month}/close", "/merit-winners",
        ];
        foreach (var path in described)
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is described");
        }
        foreach (var path in new[] { "/vanguard-teams", "/merit-winners", "/service-hours/workers", "/service-logs", "/workers/me/merit-titles" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), path));
        }
    }
}
