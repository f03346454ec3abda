using System.Net;
using System.Text.Json;
using Platform.Rights.Apis;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>A phone retrying on a bad network opens one case, not two; and the API describes itself.</summary>
public sealed class IdempotencyAndApiDescriptionTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    [Fact]
    public async Task A_retried_submission_with_the_same_key_opens_one_case_and_answers_the_same()
    {
        var worker = Worker(Guid.NewGuid());
        var body = new { category = "unpaid-wages", description = "重试", district = "广阳区" };

        using var first = await PostAsync(worker, "/cases", body, idempotencyKey: "phone-retry-1");
        using var second = await PostAsync(worker, "/cases", body, idempotencyKey: "phone-retry-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((await ReadAsync<CaseReceipt>(first)).Id, (await ReadAsync<CaseReceipt>(second)).Id);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, (await GetOkAsync<Page<CaseSummary>>(worker, "/cases/mine")).Total);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints_and_only_the_anonymous_door_needs_no_token()
    {
        var text = await GetTextAsync(Anonymous(), "/openapi/v1.json");
        var paths = JsonDocument.Parse(text).RootElement.GetProperty("paths");

        foreach (var path in new[] { "/cases", "/cases/anonymous", "/cases/{id}", "/cases/{id}/content-reads", "/audit/content-reads", "/hotline/calls", "/hotline/stats", "/alerts", "/activities", "/professionals/{id}", "/stats" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is described");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), "/activities"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), "/stats"));
        using var hotline = await PostAsync(Anonymous(), "/hotline/calls", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, hotline.StatusCode);
    }
}
