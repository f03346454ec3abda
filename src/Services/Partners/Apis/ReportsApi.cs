using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Partners.Application;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Partners.Apis;

public sealed record QueuedReportResponse(string Month, int Subscriptions);

public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reports").WithTags("Reports").RequireRoles(PlatformRoles.Operator);
        group.MapPost("/rights-case-counts/{month}", QueueRightsCaseCounts)
            .WithName("QueueRightsCaseCounts")
            .WithSummary("Send a closed month's rights-case counts now")
            .WithDescription("Normally sent by itself shortly after a month ends. Each subscription receives a month once; asking again queues nothing new.");
        return group;
    }

    private static async Task<Results<Ok<QueuedReportResponse>, ValidationProblem>> QueueRightsCaseCounts(
        string month, PartnersDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["Must be yyyy-MM, e.g. 2026-10."] });
        }
        if (!RightsCaseCount.HasEnded(month, now))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["The month has not ended yet (Asia/Shanghai time)."] });
        }
        return TypedResults.Ok(new QueuedReportResponse(month, await MonthlyRightsReports.QueueAsync(db, month, now, ct)));
    }
}
