using Platform.Rights.Domain;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Tests.Domain;

public class HotlineCallTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Taker = Guid.NewGuid();

    [Fact]
    public void A_call_is_counted_on_its_local_day_in_Langfang()
    {
        var call = HotlineCall.Log(new CallRecord(new DateTimeOffset(2026, 11, 19, 16, 30, 0, TimeSpan.Zero), 60, CaseCategory.Other, CallOutcome.Dropped, false, null), Taker, Now).Value!;

        Assert.Equal(new DateOnly(2026, 11, 20), call.LocalDate);
    }

    [Fact]
    public void A_crisis_call_is_case_opened_and_linked_to_the_new_case()
    {
        var caseId = Guid.NewGuid();

        var call = HotlineCall.Log(new CallRecord(Now, 60, CaseCategory.PsychologicalSupport, null, true, null), Taker, Now, caseId).Value!;

        Assert.Equal(CallOutcome.CaseOpened, call.Outcome);
        Assert.Equal(caseId, call.CaseId);
    }

    [Fact]
    public void A_crisis_call_refuses_another_outcome_or_an_existing_case()
    {
        var result = HotlineCall.Log(new CallRecord(Now, 60, CaseCategory.PsychologicalSupport, CallOutcome.AdviceGiven, true, Guid.NewGuid()), Taker, Now, Guid.NewGuid());

        Assert.Equal(["caseId", "outcome"], result.Errors.Keys.Order());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(HotlineCall.MaxDurationSeconds + 1)]
    public void Durations_are_bounded(int seconds)
    {
        Assert.Contains("durationSeconds", HotlineCall.Log(new CallRecord(Now, seconds, CaseCategory.Other, CallOutcome.Dropped, false, null), Taker, Now).Errors.Keys);
    }

    [Fact]
    public void A_call_cannot_start_in_the_future_beyond_clock_skew()
    {
        Assert.True(HotlineCall.Log(new CallRecord(Now.AddMinutes(4), 1, CaseCategory.Other, CallOutcome.Dropped, false, null), Taker, Now).IsValid);
        Assert.Contains("startedAt", HotlineCall.Log(new CallRecord(Now.AddMinutes(10), 1, CaseCategory.Other, CallOutcome.Dropped, false, null), Taker, Now).Errors.Keys);
    }
}

public class JointActivityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static JointActivity Clinic() =>
        JointActivity.Schedule("义诊", ActivityKind.HealthClinic, [ActivityPartner.Hospital, ActivityPartner.RedCross, ActivityPartner.Hospital], Now.AddDays(1), "站点", null, Now).Value!;

    [Fact]
    public void Partners_are_deduplicated()
    {
        Assert.Equal([ActivityPartner.RedCross, ActivityPartner.Hospital], Clinic().Partners);
    }

    [Fact]
    public void It_is_held_only_once_started_and_with_a_sane_count()
    {
        var a = Clinic();

        Assert.Equal(RefusalKind.Conflict, a.Hold(10, Now)?.Kind);
        Assert.Contains("participants", a.Hold(-1, Now.AddDays(1))!.Errors!.Keys);
        Assert.Null(a.Hold(35, Now.AddDays(1)));
        Assert.Equal(35, a.Participants);
        Assert.Equal(RefusalKind.Conflict, a.Hold(35, Now.AddDays(1))?.Kind);
        Assert.Equal(RefusalKind.Conflict, a.Cancel()?.Kind);
    }

    [Fact]
    public void A_cancelled_activity_is_not_held()
    {
        var a = Clinic();
        Assert.Null(a.Cancel());

        Assert.Equal(RefusalKind.Conflict, a.Hold(1, Now.AddDays(2))?.Kind);
    }

    [Fact]
    public void Scheduling_in_the_past_or_without_partners_is_refused()
    {
        var result = JointActivity.Schedule("x", ActivityKind.Social, [], Now.AddMinutes(-1), "y", null, Now);

        Assert.Equal(["partners", "scheduledAt"], result.Errors.Keys.Order());
    }
}

public class SupervisorAlertAndAuditTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_alert_is_acknowledged_once()
    {
        var c = RightsCase.Submit(new CaseSubmission(CaseCategory.PsychologicalSupport, CaseChannel.Hotline, Urgency.Crisis, "x", null, "13800000000", null, null), Now, v => v).Value!;
        var alert = SupervisorAlert.CrisisCase(c, Now);
        var supervisor = Guid.NewGuid();

        Assert.Null(alert.Acknowledge(supervisor, Now.AddMinutes(1)));
        Assert.Equal(RefusalKind.Conflict, alert.Acknowledge(Guid.NewGuid(), Now.AddMinutes(2))?.Kind);
        Assert.Equal(supervisor, alert.AcknowledgedBy);
        Assert.Equal(c.Id, alert.CaseId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("because")]
    public void A_content_read_needs_a_real_reason(string? reason)
    {
        Assert.Contains("reason", ContentRead.Record(Guid.NewGuid(), Guid.NewGuid(), reason, Now).Errors.Keys);
    }

    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("+86 138-1234-5678", "+8613812345678")]
    [InlineData("(0316) 123.4567", "03161234567")]
    [InlineData("12345", "12345")]
    [InlineData("1234", null)]
    [InlineData("138abc45678", null)]
    [InlineData("13+812345678", null)]
    public void Callback_numbers_are_normalised_or_refused(string input, string? expected)
    {
        Assert.Equal(expected, CallbackNumber.Normalise(input));
    }

    [Fact]
    public void The_register_refuses_an_entry_without_name_or_specialty_and_keeps_the_old_one_on_a_bad_update()
    {
        Assert.Equal(["name", "specialty"], Professional.Register(Guid.NewGuid(), " ", null, null, null, Now).Errors.Keys.Order());
        var p = Professional.Register(Guid.NewGuid(), "王", Specialty.Legal, null, null, Now).Value!;
        Assert.True(p.Active);

        Assert.True(p.Update(null, Specialty.Counselling, null, false, Now).Any);

        Assert.Equal(Specialty.Legal, p.Specialty);
        Assert.True(p.Active);
        Assert.Equal("王", p.Name);
    }
}
