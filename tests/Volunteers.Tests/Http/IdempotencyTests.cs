using System.Net;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Volunteers.Tests.Http;

/// <summary>
/// A retried POST with an Idempotency-Key is answered from the stored first answer. That answer can hold a worker's
/// full profile, so it belongs to the caller who made it and is kept encrypted like the profile itself.
/// </summary>
public sealed class IdempotencyTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task Two_workers_using_the_same_key_each_get_their_own_profile_never_the_other_s()
    {
        var enterpriseId = await EnterpriseAsync();
        var key = Guid.NewGuid().ToString();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var (firstPhone, secondPhone) = (UniquePhone(), UniquePhone());

        using var a = await PostAsync(Worker(first), "/workers/me", WorkerBody(enterpriseId, firstPhone, name: "王小明"), key);
        using var b = await PostAsync(Worker(second), "/workers/me", WorkerBody(enterpriseId, secondPhone, name: "李小红"), key);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        var profile = await ReadAsync<WorkerProfile>(b);
        Assert.Equal((second, "李小红", secondPhone), (profile.Id, profile.Name, profile.Phone));
    }

    [Fact]
    public async Task A_retry_by_the_same_worker_is_replayed_and_the_stored_answer_holds_no_readable_personal_data()
    {
        var enterpriseId = await EnterpriseAsync();
        var key = Guid.NewGuid().ToString();
        var workerId = Guid.NewGuid();
        var phone = UniquePhone();
        var body = WorkerBody(enterpriseId, phone, name: "赵大勇");

        using var first = await PostAsync(Worker(workerId), "/workers/me", body, key);
        using var retry = await PostAsync(Worker(workerId), "/workers/me", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(await ReadAsync<WorkerProfile>(first), await ReadAsync<WorkerProfile>(retry));
        Assert.Equal(1L, await Service.ScalarAsync<long>("SELECT count(*) FROM idempotent_requests"));
        Assert.Equal(0L, await Service.ScalarAsync<long>(
            "SELECT count(*) FROM idempotent_requests WHERE \"Body\" LIKE @phone OR \"Body\" LIKE @name",
            ("phone", $"%{phone}%"), ("name", "%赵大勇%")));
    }

    [Fact]
    public async Task Retries_of_a_service_log_sent_at_the_same_moment_record_it_once_and_all_get_the_first_answer()
    {
        var enterpriseId = await EnterpriseAsync();
        var community = await CommunityAsync(UniqueDistrict());
        var workerId = await WorkerServingInAsync(community, enterpriseId);
        var worker = Worker(workerId);
        var body = new { kind = "elderly-help", servedOn = CityClock.DateOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), hours = 1.5m, communityId = community };

        for (var round = 0; round < 3; round++)
        {
            var key = Guid.NewGuid().ToString();
            // The handler locks the worker's row in a transaction of its own: with a key it runs inside the request's.
            var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(worker, "/workers/me/service-logs", body, key)));
            try
            {
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
                Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
                var answers = await Task.WhenAll(responses.Select(ReadAsync<ServiceLogView>));
                Assert.Single(answers.Select(a => a.Id).Distinct());
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
        Assert.Equal(3, (await GetOkAsync<Page<ServiceLogView>>(worker, "/workers/me/service-logs")).Total);
    }
}
