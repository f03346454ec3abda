using System.Net;
using Platform.Rights.Apis;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>Asking for help without signing in, with a callback number; and the limits that keep that door from abuse.</summary>
public sealed class AnonymousRequestTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Platform:Rights:AnonymousCasesPerMinute"] = "6",
    };

    [Fact]
    public async Task Without_a_token_a_request_with_a_callback_number_is_received_and_reaches_supervisors()
    {
        var receipt = await PostOkAsync<CaseReceipt>(Anonymous(), "/cases/anonymous",
            new { category = "unpaid-wages", description = "不想留名，老板欠薪", callbackNumber = "13900001111" }, HttpStatusCode.Created);

        var listed = await GetOkAsync<Page<CaseSummary>>(Supervisor(), "/cases");
        var summary = Assert.Single(listed.Items);
        Assert.Equal(receipt.Id, summary.Id);
        Assert.Equal(Platform.Rights.Domain.CaseChannel.App, summary.Channel);
        var progress = await GetOkAsync<CaseDetail>(Supervisor(), $"/cases/{receipt.Id}");
        Assert.True(progress.Anonymous);
        // The anonymous door cannot read anything back.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfGetAsync(Anonymous(), $"/cases/{receipt.Id}"));
    }

    [Fact]
    public async Task A_callback_number_is_required_and_must_be_a_phone_number()
    {
        using (var missing = await PostAsync(Anonymous(), "/cases/anonymous", new { category = "other", description = "帮帮我" }))
        {
            await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "callbackNumber");
        }
        using var wrong = await PostAsync(Anonymous(), "/cases/anonymous", new { category = "other", description = "帮帮我", callbackNumber = "call me maybe" });
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest, "callbackNumber");
    }

    [Fact]
    public async Task One_number_may_have_only_three_open_anonymous_requests()
    {
        for (var i = 0; i < CasesApi.MaxOpenAnonymousPerNumber; i++)
        {
            await PostOkAsync<CaseReceipt>(Anonymous(), "/cases/anonymous", new { category = "other", description = $"第{i}次", callbackNumber = "139-0000-2222" }, HttpStatusCode.Created);
        }

        // The same number however it is written.
        using var fourth = await PostAsync(Anonymous(), "/cases/anonymous", new { category = "other", description = "第四次", callbackNumber = "13900002222" });

        await ProblemAssert.IsProblemAsync(fourth, HttpStatusCode.TooManyRequests);
        await PostOkAsync<CaseReceipt>(Anonymous(), "/cases/anonymous", new { category = "other", description = "别的号码", callbackNumber = "13900003333" }, HttpStatusCode.Created);
        Assert.Equal(4, (await GetOkAsync<Page<CaseSummary>>(Supervisor(), "/cases")).Total);
    }

    [Fact]
    public async Task Too_many_anonymous_requests_from_one_address_in_a_minute_are_429_with_retry_after()
    {
        for (var i = 0; i < 6; i++)
        {
            using var accepted = await PostAsync(Anonymous(), "/cases/anonymous", new { category = "other", description = $"请求{i}", callbackNumber = $"1390000{i:D4}" });
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        using var seventh = await PostAsync(Anonymous(), "/cases/anonymous", new { category = "other", description = "请求7", callbackNumber = "13900009999" });

        await ProblemAssert.IsProblemAsync(seventh, HttpStatusCode.TooManyRequests);
        Assert.True(seventh.Headers.RetryAfter is not null);
        // Signed-in workers are not limited by the anonymous door.
        await SubmitAsync(Worker(Guid.NewGuid()), "登录后提交");
    }
}
