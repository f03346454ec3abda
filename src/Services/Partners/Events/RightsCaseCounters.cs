using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts;
using Platform.Partners.Data;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Partners.Events;

/// <summary>
/// Counts rights cases by month, district and category; the case itself is forgotten at once. The count is one
/// atomic upsert in the consumer's transaction, so concurrent cases in the same cell never lose a count.
/// </summary>
public sealed class RightsCaseOpenedCounter(PartnersDb db, MessagingTelemetry telemetry, ILogger<RightsCaseOpenedCounter> logger)
    : IdempotentConsumer<RightsCaseOpened, PartnersDb>(db, telemetry, logger)
{
    protected override Task HandleAsync(RightsCaseOpened message, ConsumeContext<RightsCaseOpened> context, CancellationToken cancellationToken) =>
        Db.CountRightsCaseAsync(RightsCaseCount.MonthOf(message.OpenedAt), message.District, message.Category, opened: 1, resolved: 0, cancellationToken);
}

public sealed class RightsCaseResolvedCounter(PartnersDb db, MessagingTelemetry telemetry, ILogger<RightsCaseResolvedCounter> logger)
    : IdempotentConsumer<RightsCaseResolved, PartnersDb>(db, telemetry, logger)
{
    protected override Task HandleAsync(RightsCaseResolved message, ConsumeContext<RightsCaseResolved> context, CancellationToken cancellationToken) =>
        Db.CountRightsCaseAsync(RightsCaseCount.MonthOf(message.ResolvedAt), message.District, message.Category, opened: 0, resolved: 1, cancellationToken);
}

internal static class RightsCaseCounting
{
    public static Task CountRightsCaseAsync(this PartnersDb db, string month, string? district, string category, int opened, int resolved, CancellationToken ct)
    {
        var place = string.IsNullOrWhiteSpace(district) ? RightsCaseCount.UnknownDistrict : district;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO rights_case_counts ("Month", "District", "Category", "Opened", "Resolved")
            VALUES ({month}, {place}, {category}, {opened}, {resolved})
            ON CONFLICT ("Month", "District", "Category") DO UPDATE
            SET "Opened" = rights_case_counts."Opened" + EXCLUDED."Opened",
                "Resolved" = rights_case_counts."Resolved" + EXCLUDED."Resolved"
            """, ct);
    }
}
