using System.Net;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>Bad input is answered with problem details naming the field, never with a 500.</summary>
public sealed class BadInputTests(LocalInfrastructure infrastructure) : RightsApiTest(infrastructure)
{
    [Fact]
    public async Task An_empty_case_lists_every_missing_field()
    {
        using var response = await PostAsync(Professional(Guid.NewGuid()), "/cases", new { });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "category", "channel", "description", "callbackNumber");
        Assert.Equal(["callbackNumber", "category", "channel", "description"], ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("""{"category":"space-travel","description":"x"}""", "category")]
    [InlineData("""{"category":"other","urgency":"whenever","description":"x"}""", "urgency")]
    [InlineData("""{"category":"other","description":42}""", "description")]
    [InlineData("""{"category":"other","description":"x","status":"closed"}""", "status")]
    [InlineData("""{"category":"other","description":"x","channel":"hotline"}""", "channel")]
    [InlineData("""{"category":"other","description":"x","workerId":"0190a4c2-0000-7000-8000-000000000000"}""", "workerId")]
    [InlineData("""{"category":"other","description":"x","callbackNumber":"12"}""", "callbackNumber")]
    [InlineData("""{"category":"other","description":"x","communityId":"0190a4c2-0000-7000-8000-000000000000"}""", "communityId")]
    public async Task A_bad_field_in_a_workers_request_is_a_400_naming_it(string body, string field)
    {
        using var response = await PostAsync(Worker(Guid.NewGuid()), "/cases", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_description_over_4000_characters_is_a_400()
    {
        using var response = await PostAsync(Worker(Guid.NewGuid()), "/cases", new { category = "other", description = new string('字', 4001) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "description");
    }

    [Theory]
    [InlineData("/cases?status=lost", "status")]
    [InlineData("/cases?category=x", "category")]
    [InlineData("/cases?pageSize=1000", "pageSize")]
    [InlineData("/cases?page=0", "page")]
    public async Task A_bad_list_filter_is_a_400_naming_it(string path, string field)
    {
        using var response = await Supervisor().GetAsync(new Uri(path, UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Bad_workflow_input_is_a_400_naming_the_field()
    {
        var worker = Worker(Guid.NewGuid());
        var receipt = await SubmitAsync(worker, "x");
        var legal = await RegisterProfessionalAsync("legal");
        await StartWithAsync(receipt.Id, legal);
        var professional = Professional(legal);

        using (var note = await PostAsync(professional, $"/cases/{receipt.Id}/notes", new { text = " " }))
        {
            await ProblemAssert.IsProblemAsync(note, HttpStatusCode.BadRequest, "text");
        }
        using (var resolve = await PostAsync(professional, $"/cases/{receipt.Id}/resolution", new { }))
        {
            await ProblemAssert.IsProblemAsync(resolve, HttpStatusCode.BadRequest, "summary");
        }
        using (var escalate = await PostAsync(professional, $"/cases/{receipt.Id}/escalation", new { partner = "police" }))
        {
            await ProblemAssert.IsProblemAsync(escalate, HttpStatusCode.BadRequest, "partner");
        }
        using (var escalate = await PostAsync(professional, $"/cases/{receipt.Id}/escalation", new { }))
        {
            await ProblemAssert.IsProblemAsync(escalate, HttpStatusCode.BadRequest, "partner", "reason");
        }
        await PostOkAsync<Platform.Rights.Apis.CaseSummary>(professional, $"/cases/{receipt.Id}/resolution", new { summary = "done" });
        foreach (var score in new[] { 0, 6 })
        {
            using var close = await PostAsync(worker, $"/cases/{receipt.Id}/closure", new { satisfaction = score });
            await ProblemAssert.IsProblemAsync(close, HttpStatusCode.BadRequest, "satisfaction");
        }
        using (var assign = await PostAsync(Supervisor(), $"/cases/{receipt.Id}/assignment", new { }))
        {
            await ProblemAssert.IsProblemAsync(assign, HttpStatusCode.BadRequest, "professionalId");
        }
        using var professionalPut = await Supervisor().PutAsync(new Uri($"/professionals/{Guid.NewGuid()}", UriKind.Relative),
            new StringContent("""{"specialty":"astrology"}""", System.Text.Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(professionalPut, HttpStatusCode.BadRequest, "specialty");
    }

    [Fact]
    public async Task An_unknown_case_is_404_for_workflow_steps()
    {
        using var triage = await PostAsync(Supervisor(), $"/cases/{Guid.NewGuid()}/triage", new { });
        Assert.Equal(HttpStatusCode.NotFound, triage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Supervisor(), "/cases/not-a-guid"));
    }
}
