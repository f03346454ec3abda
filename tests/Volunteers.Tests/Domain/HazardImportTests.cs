using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class HazardImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly RoutedTo Route = new("广阳区", Guid.NewGuid(), "housing");

    private static HistoricalHazard Report(DateTimeOffset reportedAt, params HistoricalStatus[] history) =>
        new($"L-{Guid.NewGuid():N}", HazardCategory.BrokenManholeCover, 39.52, 116.70, "井盖缺失", reportedAt, history);

    private static (IReadOnlyList<CheckedHazard> Checked, Dictionary<string, string[]> Errors) Check(params HistoricalHazard?[] reports)
    {
        var errors = new FieldErrors();
        var result = HazardImport.Check(reports, Now, errors);
        return (result, errors.ToDictionary());
    }

    [Fact]
    public void A_closed_report_is_replayed_at_its_own_times_by_the_ledger_and_announces_nothing_itself()
    {
        var at = Now.AddDays(-100);
        var (hazards, errors) = Check(Report(at,
            new(HazardStatus.Acknowledged, at.AddHours(1), null), new(HazardStatus.InProgress, at.AddHours(1), null), new(HazardStatus.Closed, at.AddDays(4), "已更换")));
        Assert.Empty(errors);

        var report = HazardImport.Build(hazards[0], Route, new FieldErrors());

        Assert.Equal((HazardSource.Imported, hazards[0].ExternalId, HazardStatus.Closed, at, at.AddDays(4), at.AddDays(4), "housing"),
            (report.Source, report.ExternalId, report.Status, report.ReportedAt, report.ClosedAt, report.UpdatedAt, report.Department));
        Assert.All(report.Changes, c => Assert.Equal("import", c.ActorKind));
        Assert.Equal([at.AddHours(1), at.AddHours(1), at.AddDays(4)], report.Changes.Select(c => c.ChangedAt));
    }

    [Fact]
    public void Times_in_the_future_out_of_order_before_the_report_or_too_old_are_refused_by_row_and_step()
    {
        var at = Now.AddDays(-10);
        var (_, errors) = Check(
            Report(Now.AddMinutes(1)),
            Report(Now - FieldErrors.MaxHistoryAge - TimeSpan.FromDays(1)),
            Report(at, new(HazardStatus.Acknowledged, at.AddDays(2), null), new(HazardStatus.InProgress, at.AddDays(1), null)),
            Report(at, new HistoricalStatus(HazardStatus.Acknowledged, at.AddDays(-1), null)),
            Report(at, new HistoricalStatus(HazardStatus.Acknowledged, Now.AddHours(1), null)));

        Assert.Equal(["reports[0].reportedAt", "reports[1].reportedAt", "reports[2].history[1].at", "reports[3].history[0].at", "reports[4].history[0].at"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_workflow_rules_of_live_reports_hold_for_history()
    {
        var at = Now.AddDays(-10);
        var (_, errors) = Check(
            Report(at, new HistoricalStatus(HazardStatus.Closed, at.AddDays(1), "修好了")),
            Report(at, new(HazardStatus.Acknowledged, at.AddDays(1), null), new(HazardStatus.Rejected, at.AddDays(2), null)),
            Report(at, new HistoricalStatus(HazardStatus.Rejected, at.AddDays(1), "不属实")));

        Assert.Equal(["reports[0].history[0].status", "reports[1].history[1].notes"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_batch_is_bounded_and_a_ledger_id_appears_once_in_it()
    {
        Assert.Equal(["reports"], Check().Errors.Keys);
        Assert.Equal(["reports"], Check([.. Enumerable.Range(0, HazardImport.MaxBatch + 1).Select(_ => Report(Now.AddDays(-1)))]).Errors.Keys);
        var report = Report(Now.AddDays(-2));
        Assert.Equal(["reports[1].externalId"], Check(report, report with { ReportedAt = Now.AddDays(-1) }).Errors.Keys);
    }
}
