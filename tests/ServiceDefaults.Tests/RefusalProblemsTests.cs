using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Tests;

/// <summary>Every service answers an entity's refusal through this one mapping; a client reads the same shape everywhere.</summary>
public class RefusalProblemsTests
{
    [Fact]
    public async Task Invalid_input_is_a_400_validation_problem_naming_each_field()
    {
        var errors = new FieldErrors();
        errors.Add("reason", "reason is required when declining.");
        errors.Add("satisfaction", "satisfaction must be between 1 and 5.");

        var (status, problem) = await AnswerAsync(Refusal.Invalid(errors));

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(["reason", "satisfaction"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("reason is required when declining.", problem.GetProperty("errors").GetProperty("reason")[0].GetString());
    }

    [Fact]
    public async Task A_state_that_does_not_allow_the_change_is_a_409_with_its_reason()
    {
        var (status, problem) = await AnswerAsync(Refusal.Conflict("The case is already closed.", "It was closed on 2026-11-20."));

        Assert.Equal(StatusCodes.Status409Conflict, status);
        Assert.Equal("The case is already closed.", problem.GetProperty("title").GetString());
        Assert.Equal("It was closed on 2026-11-20.", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task A_broken_business_rule_is_a_422_with_its_reason()
    {
        var (status, problem) = await AnswerAsync(Refusal.Rule("Members can only be transferred to an established organization."));

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, status);
        Assert.Equal("Members can only be transferred to an established organization.", problem.GetProperty("title").GetString());
    }

    private static async Task<(int Status, JsonElement Problem)> AnswerAsync(Refusal refusal)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        await refusal.ToProblem().ExecuteAsync(context);

        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, (await JsonDocument.ParseAsync(context.Response.Body)).RootElement.Clone());
    }
}
