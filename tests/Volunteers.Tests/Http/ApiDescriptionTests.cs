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

    [Fact]
    public async Task Each_operation_names_the_roles_that_may_call_it()
    {
        using var response = await Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        string? Roles(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("x-roles", out var roles)
                ? string.Join(", ", roles.EnumerateArray().Select(r => r.GetString()))
                : null;

        Assert.Equal("org-officer, supervisor", Roles("/merit-reviews/{month}/nominations/{id}/score", "put"));
        Assert.Equal("community-staff, org-officer, supervisor, operator", Roles("/merit-reviews/{month}/nominations", "post"));
        // Set once on a route group, it holds for the group's every operation.
        Assert.Equal("worker", Roles("/workers/me/service-logs", "get"));
        // Any signed-in user: no role named.
        Assert.Null(Roles("/merit-winners", "get"));
        Assert.Contains("Roles allowed: org-officer, supervisor.",
            paths.GetProperty("/merit-reviews/{month}/nominations/{id}/score").GetProperty("put").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
