using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Apis;

public sealed record AlertView(Guid Id, AlertKind Kind, Guid CaseId, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, Guid? AcknowledgedBy)
{
    public static AlertView From(SupervisorAlert a) => new(a.Id, a.Kind, a.CaseId, a.RaisedAt, a.AcknowledgedAt, a.AcknowledgedBy);
}

/// <summary>
/// How supervisors learn of a crisis at once: an alert list their console polls (open alerts first), plus a warning
/// log line and the <c>rights.crisis.alerts</c> counter for operators; none of them carries a person or content.
/// </summary>
public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/alerts").WithTags("Alerts").RequireRoles(PlatformRoles.Supervisor);
        group.MapGet("/", List)
            .WithName("ListAlerts")
            .WithSummary("Supervisor alerts (crisis cases), oldest open first")
            .WithDescription("open=true (default) lists those nobody has acknowledged yet; open=false lists all, newest first.");
        group.MapPost("/{id:guid}/acknowledgement", Acknowledge)
            .WithName("AcknowledgeAlert")
            .WithSummary("A supervisor takes the alert on");
        return group;
    }

    internal static async Task<Results<Ok<Page<AlertView>>, ValidationProblem>> List(RightsDb db, [AsParameters] PageQuery paging, bool? open, CancellationToken ct)
    {
        var query = db.Alerts.AsNoTracking();
        IOrderedQueryable<SupervisorAlert> ordered = open ?? true
            ? query.Where(a => a.AcknowledgedAt == null).OrderBy(a => a.RaisedAt).ThenBy(a => a.Id)
            : query.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id);
        return TypedResults.Ok((await ordered.ToPageAsync(paging, ct)).Map(AlertView.From));
    }

    internal static async Task<Results<Ok<AlertView>, ProblemHttpResult, NotFound>> Acknowledge(
        Guid id, ClaimsPrincipal user, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return TypedResults.NotFound();
        }
        if (alert.Acknowledge(user.SubjectId() ?? Guid.Empty, clock.GetUtcNow()) is { } refused)
        {
            return refused.ToProblem();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AlertView.From(alert));
    }
}
