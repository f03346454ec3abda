using Platform.Rights.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Tests.Domain;

public sealed class CaseImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly Professional Lawyer = Professional.Register(Guid.NewGuid(), "陈律师", Specialty.Legal, null, true, Now.AddYears(-1)).Value!;
    private static readonly Dictionary<Guid, Professional> Register = new() { [Lawyer.Id] = Lawyer };

    private static HistoricalCase Case(DateTimeOffset at) => new(
        "L-7", CaseCategory.UnpaidWages, CaseChannel.Hotline, Urgency.Normal, "欠薪两个月", Guid.NewGuid(), null, "广阳区",
        at, at.AddHours(1), Lawyer.Id, at.AddHours(2), at.AddHours(30), at.AddDays(5), "已补发", at.AddDays(6), 5);

    private static (RightsCase? Case, Dictionary<string, string[]> Errors) Replay(HistoricalCase item)
    {
        var errors = new FieldErrors();
        var rightsCase = CaseImport.Replay(item, "cases[0]", Register, Now, n => "index:" + n, errors);
        return (rightsCase, errors.ToDictionary());
    }

    [Fact]
    public void A_closed_case_is_replayed_step_by_step_at_the_ledgers_times()
    {
        var at = Now.AddDays(-60);

        var (rightsCase, errors) = Replay(Case(at));

        Assert.Empty(errors);
        Assert.Equal((CaseStatus.Closed, RecordSource.Imported, "L-7", 5), (rightsCase!.Status, rightsCase.Source, rightsCase.ExternalId, rightsCase.Satisfaction));
        Assert.Equal((at, at.AddHours(1), at.AddHours(2), at.AddHours(30), at.AddDays(5), at.AddDays(6)),
            (rightsCase.SubmittedAt, rightsCase.TriagedAt, rightsCase.AssignedAt, rightsCase.FirstRespondedAt, rightsCase.ResolvedAt, rightsCase.ClosedAt));
        // Its first response came after the 24 h promised: the durations partners count are the real ones.
        Assert.Equal(TimeSpan.FromHours(30), rightsCase.ToResolvedEvent().TimeToFirstResponse);
    }

    [Fact]
    public void Steps_out_of_order_in_the_future_or_outside_the_workflow_are_refused_by_field()
    {
        var at = Now.AddDays(-60);
        Assert.Equal(["cases[0].resolvedAt"], Replay(Case(at) with { ResolvedAt = at.AddHours(20) }).Errors.Keys);
        Assert.Equal(["cases[0].closedAt"], Replay(Case(at) with { ClosedAt = Now.AddHours(1) }).Errors.Keys);
        Assert.Equal(["cases[0].submittedAt"], Replay(Case(Now.AddDays(-800))).Errors.Keys);
        Assert.Equal(["cases[0].startedAt"], Replay(Case(at) with { AssignedAt = null, ProfessionalId = null }).Errors.Keys);
        Assert.Equal(["cases[0].professionalId"], Replay(Case(at) with { ProfessionalId = Guid.NewGuid() }).Errors.Keys);
        Assert.Equal(["cases[0].resolution"], Replay(Case(at) with { Resolution = null }).Errors.Keys);
        Assert.Equal(["cases[0].description"], Replay(Case(at) with { Description = " " }).Errors.Keys);
    }
}
