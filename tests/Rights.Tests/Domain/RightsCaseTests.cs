using Platform.Rights.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Tests.Domain;

public class RightsCaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid WorkerId = Guid.NewGuid();

    private static string Index(string value) => "idx:" + value;

    private static RightsCase Submit(Urgency urgency = Urgency.Normal, CaseCategory category = CaseCategory.UnpaidWages, Guid? worker = null, string? callback = null)
    {
        var result = RightsCase.Submit(new CaseSubmission(category, CaseChannel.App, urgency, " 欠薪 ", worker ?? (callback is null ? WorkerId : null), callback, null, null), Now, Index);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        return result.Value!;
    }

    private static Professional Pro(Specialty specialty, bool active = true) =>
        Professional.Register(Guid.NewGuid(), "王", specialty, null, active, Now).Value!;

    [Theory]
    [InlineData(Urgency.Crisis, 1)]
    [InlineData(Urgency.High, 4)]
    [InlineData(Urgency.Normal, 24)]
    public void The_first_response_deadline_follows_the_urgency(Urgency urgency, int hours)
    {
        var c = Submit(urgency);

        Assert.Equal(Now.AddHours(hours), c.FirstResponseDueAt);
        Assert.Equal(CaseStatus.Submitted, c.Status);
        Assert.Equal("欠薪", c.Description);
    }

    [Fact]
    public void A_case_needs_a_worker_or_a_callback_number()
    {
        var result = RightsCase.Submit(new CaseSubmission(CaseCategory.Other, CaseChannel.Hotline, null, "x", null, null, null, null), Now, Index);

        Assert.Equal(["callbackNumber"], result.Errors.Keys);
    }

    [Fact]
    public void Missing_fields_are_all_named()
    {
        var result = RightsCase.Submit(new CaseSubmission(null, null, null, " ", null, "abc", null, null), Now, Index);

        Assert.Equal(["callbackNumber", "category", "channel", "description"], result.Errors.Keys.Order());
    }

    [Fact]
    public void An_anonymous_case_keeps_the_normalised_number_and_its_blind_index()
    {
        var c = Submit(callback: "139-0000 1111");

        Assert.Null(c.RequesterWorkerId);
        Assert.Equal("13900001111", c.CallbackNumber);
        Assert.Equal("idx:13900001111", c.CallbackNumberIndex);
    }

    [Fact]
    public void Triage_changes_urgency_and_so_the_deadline()
    {
        var c = Submit(Urgency.Normal);

        Assert.Null(c.Triage(CaseCategory.LabourContract, Urgency.High, Now.AddMinutes(5)));

        Assert.Equal(CaseStatus.Triaged, c.Status);
        Assert.Equal(CaseCategory.LabourContract, c.Category);
        Assert.Equal(Now.AddHours(4), c.FirstResponseDueAt);
        Assert.Equal(RefusalKind.Conflict, c.Triage(null, null, Now)?.Kind);
    }

    [Theory]
    [InlineData(CaseCategory.PsychologicalSupport, Specialty.Counselling, true)]
    [InlineData(CaseCategory.PsychologicalSupport, Specialty.Legal, false)]
    [InlineData(CaseCategory.UnpaidWages, Specialty.Legal, true)]
    [InlineData(CaseCategory.UnpaidWages, Specialty.Counselling, false)]
    [InlineData(CaseCategory.TrafficAccidentOrInjury, Specialty.Legal, true)]
    [InlineData(CaseCategory.Other, Specialty.Counselling, true)]
    [InlineData(CaseCategory.Other, Specialty.Legal, true)]
    public void Assignment_needs_a_fitting_specialty(CaseCategory category, Specialty specialty, bool fits)
    {
        var c = Submit(category: category);
        c.Triage(null, null, Now);

        var outcome = c.AssignTo(Pro(specialty), Now);

        Assert.Equal(fits, outcome is null);
        Assert.Equal(fits ? CaseStatus.Assigned : CaseStatus.Triaged, c.Status);
        if (!fits)
        {
            Assert.Contains("professionalId", outcome!.Errors!.Keys);
        }
    }

    [Fact]
    public void An_inactive_professional_gets_no_case()
    {
        var c = Submit();
        c.Triage(null, null, Now);

        Assert.Contains("professionalId", c.AssignTo(Pro(Specialty.Legal, active: false), Now)!.Errors!.Keys);
    }

    [Fact]
    public void Only_a_crisis_case_is_assigned_without_triage()
    {
        Assert.Equal(RefusalKind.Conflict, Submit(Urgency.High).AssignTo(Pro(Specialty.Legal), Now)?.Kind);
        var crisis = Submit(Urgency.Crisis, CaseCategory.PsychologicalSupport);

        Assert.Null(crisis.AssignTo(Pro(Specialty.Counselling), Now));
        Assert.Equal(Now, crisis.TriagedAt);
        Assert.True(crisis.NeedsSupervisorAlert);
        Assert.False(Submit(Urgency.High).NeedsSupervisorAlert);
    }

    [Fact]
    public void Only_the_requester_and_the_assigned_professional_are_parties()
    {
        var c = Submit();
        var pro = Pro(Specialty.Legal);
        c.Triage(null, null, Now);
        c.AssignTo(pro, Now);

        Assert.Equal(CaseParty.Requester, c.PartyOf(WorkerId, null));
        Assert.Equal(CaseParty.AssignedProfessional, c.PartyOf(null, pro.Id));
        Assert.Equal(CaseParty.None, c.PartyOf(Guid.NewGuid(), Guid.NewGuid()));
        Assert.Equal(CaseParty.None, c.PartyOf(null, null));
        // A professional id is not a worker id: the roles are checked separately.
        Assert.Equal(CaseParty.None, c.PartyOf(pro.Id, null));
    }

    [Fact]
    public void Overdue_means_no_first_response_past_the_deadline()
    {
        var c = Submit(Urgency.High);

        Assert.False(c.IsOverdue(Now.AddHours(4)));
        Assert.True(c.IsOverdue(Now.AddHours(4).AddTicks(10)));

        c.Triage(null, null, Now);
        c.AssignTo(Pro(Specialty.Legal), Now);
        Assert.True(c.IsOverdue(Now.AddHours(5)));
        c.Start(Now.AddHours(5));
        Assert.False(c.IsOverdue(Now.AddHours(6)));
        Assert.Equal(Now.AddHours(5), c.FirstRespondedAt);
    }

    [Fact]
    public void An_escalated_case_is_not_overdue()
    {
        var c = Submit(Urgency.Crisis);
        c.Escalate(EscalationPartner.LabourInspection, "多人欠薪", Now);

        Assert.False(c.IsOverdue(Now.AddDays(1)));
    }

    [Fact]
    public void The_professionals_first_note_is_the_first_response_and_starts_the_work()
    {
        var c = Submit();
        var pro = Pro(Specialty.Legal);
        c.Triage(null, null, Now);
        c.AssignTo(pro, Now);

        Assert.Null(c.AddNote(CaseParty.Requester, WorkerId, "补充材料", Now.AddMinutes(1), out _));
        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Null(c.AddNote(CaseParty.AssignedProfessional, pro.Id, "收到", Now.AddMinutes(2), out var note));

        Assert.Equal(CaseStatus.InProgress, c.Status);
        Assert.Equal(Now.AddMinutes(2), c.FirstRespondedAt);
        Assert.Equal(NoteAuthor.Professional, note!.Author);
        Assert.Equal(2, c.Notes.Count);
    }

    [Fact]
    public void Resolve_close_and_the_resolved_event_carry_durations_only()
    {
        var c = Submit();
        c.Triage(null, null, Now);
        c.AssignTo(Pro(Specialty.Legal), Now);
        c.Start(Now.AddMinutes(20));

        Assert.Null(c.Resolve("已解决", Now.AddHours(3)));
        var resolved = c.ToResolvedEvent();
        Assert.Equal(TimeSpan.FromMinutes(20), resolved.TimeToFirstResponse);
        Assert.Equal(TimeSpan.FromHours(3), resolved.TimeToResolution);
        Assert.False(resolved.Escalated);
        Assert.Equal("unpaid-wages", resolved.Category);

        Assert.Contains("satisfaction", c.Close(0, Now)!.Errors!.Keys);
        Assert.Contains("satisfaction", c.Close(null, Now)!.Errors!.Keys);
        Assert.Null(c.Close(3, Now.AddHours(4)));
        Assert.Equal(CaseStatus.Closed, c.Status);
        Assert.Equal(RefusalKind.Conflict, c.AddNote(CaseParty.Requester, WorkerId, "x", Now, out _)?.Kind);
    }

    [Fact]
    public void Steps_out_of_order_are_refused()
    {
        var c = Submit();

        Assert.Equal(RefusalKind.Conflict, c.Start(Now)?.Kind);
        Assert.Equal(RefusalKind.Conflict, c.Resolve("x", Now)?.Kind);
        Assert.Equal(RefusalKind.Conflict, c.Close(5, Now)?.Kind);
        Assert.Equal(CaseStatus.Submitted, c.Status);
    }

    [Fact]
    public void Escalation_needs_a_partner_and_a_reason_and_ends_the_case()
    {
        var c = Submit();

        Assert.Equal(["partner", "reason"], c.Escalate(null, " ", Now)!.Errors!.Keys.Order());
        Assert.Null(c.Escalate(EscalationPartner.TradeUnionLegalAid, "需要法律援助", Now.AddHours(1)));
        var e = c.ToResolvedEvent();
        Assert.True(e.Escalated);
        Assert.Null(e.TimeToFirstResponse);
        Assert.Equal(TimeSpan.FromHours(1), e.TimeToResolution);
        Assert.Equal(RefusalKind.Conflict, c.Escalate(EscalationPartner.LabourInspection, "again", Now)?.Kind);
    }

    [Fact]
    public void The_opened_event_names_category_channel_urgency_in_kebab_case_and_nothing_personal()
    {
        var e = Submit(Urgency.Crisis, CaseCategory.PlatformPenaltyOrAlgorithm).ToOpenedEvent();

        Assert.Equal("platform-penalty-or-algorithm", e.Category);
        Assert.Equal("app", e.Channel);
        Assert.Equal("crisis", e.Urgency);
        Assert.Equal(["CaseId", "Category", "Channel", "District", "OpenedAt", "Urgency"], e.GetType().GetProperties().Select(p => p.Name).Order());
    }
}
