using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Platform.Rights.Apis;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Rights.Tests.ScaleOut;

/// <summary>
/// Two instances of the rights service behind a load balancer, on one database and one personal-data key: a phone's
/// retry with the same <c>Idempotency-Key</c> may land on either, and still opens one case and gets the first answer
/// (stored encrypted by one instance, read back by the other).
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class IdempotencyAcrossInstancesTests(LocalInfrastructure infrastructure) : IAsyncLifetime
{
    private const string Replayed = "Idempotent-Replayed";
    private ServiceFactory<Program> _first = null!;
    private ServiceFactory<Program> _second = null!;

    public async Task InitializeAsync()
    {
        _first = new ServiceFactory<Program>(infrastructure, "rights");
        await _first.StartWithBusAsync();
        _second = new ServiceFactory<Program>(infrastructure, "rights", restartOf: _first);
        await _second.StartWithBusAsync();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task A_retry_that_lands_on_the_other_instance_gets_the_first_answer_and_opens_nothing_more()
    {
        var workerId = Guid.NewGuid();
        using var onFirst = _first.CreateHttpClient(TestTokens.ForWorker(workerId));
        using var onSecond = _second.CreateHttpClient(TestTokens.ForWorker(workerId));
        var key = Guid.NewGuid().ToString();

        using var answer = await SubmitAsync(onFirst, key);
        using var retry = await SubmitAsync(onSecond, key);

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(answer.Headers.Contains(Replayed));
        Assert.Equal(["true"], retry.Headers.GetValues(Replayed));
        Assert.Equal(await ReadAsync<CaseReceipt>(answer), await ReadAsync<CaseReceipt>(retry));
        Assert.Equal(answer.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, (await onSecond.GetFromJsonAsync<Page<CaseSummary>>("/cases/mine", PlatformJson.Options))!.Total);
    }

    [Fact]
    public async Task Two_instances_racing_the_same_key_open_one_case_and_answer_it_to_every_request()
    {
        var workerId = Guid.NewGuid();
        using var onFirst = _first.CreateHttpClient(TestTokens.ForWorker(workerId));
        using var onSecond = _second.CreateHttpClient(TestTokens.ForWorker(workerId));
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await SubmitAsync(i % 2 == 0 ? onFirst : onSecond, key);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await ReadAsync<CaseReceipt>(response), response.Headers.Contains(Replayed));
        }));

        Assert.Single(answers.Select(a => a.Item1).Distinct());
        Assert.Single(answers, a => !a.Item2);
        Assert.Equal(1, (await onFirst.GetFromJsonAsync<Page<CaseSummary>>("/cases/mine", PlatformJson.Options))!.Total);
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient worker, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/cases", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { category = "unpaid-wages", description = "三个月工资未发，电话 13800000000", district = "广阳区" }, JsonSerializerOptions.Web),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Idempotency.HeaderName, key);
        return await worker.SendAsync(request);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(PlatformJson.Options))!;
}
