using Platform.Contracts;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class WorkerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataProtector Protector = new(new byte[32]);
    private static readonly LocalEnterprise Enterprise =
        LocalEnterprise.From(new EnterpriseRegistered(Guid.NewGuid(), "美团廊坊站", "91131000MA0A1B2C3D", "food-delivery", "广阳区", Now));

    private static WorkerDetails Details(string phone = "13812345678", string? idNumber = null, bool partyMember = false, DateOnly? joined = null) =>
        new("张三丰", phone, idNumber, Occupation.Courier, Enterprise.Id, partyMember, joined);

    [Fact]
    public void Personal_fields_are_kept_encrypted_revealed_to_the_owner_and_masked_for_lists()
    {
        var worker = Worker.Register(Guid.NewGuid(), Details(idNumber: "11010519491231002X"), Enterprise, Protector, Now).Value!;

        Assert.DoesNotContain("138", worker.PhoneCipher, StringComparison.Ordinal);
        Assert.DoesNotContain("张", worker.NameCipher, StringComparison.Ordinal);
        Assert.Equal(new PersonalFields("张三丰", "13812345678", "11010519491231002X"), worker.Reveal(Protector));
        Assert.Equal(new PersonalFields("张**", "138****5678", "110*************2X"), worker.Masked(Protector));
        Assert.Equal(Protector.BlindIndex("13812345678"), worker.PhoneIndex);
    }

    [Theory]
    [InlineData("+86 138-1234-5678")]
    [InlineData("138 1234 5678")]
    public void A_phone_is_kept_as_its_eleven_digits(string phone)
    {
        var worker = Worker.Register(Guid.NewGuid(), Details(phone), Enterprise, Protector, Now).Value!;

        Assert.Equal("13812345678", worker.Reveal(Protector).Phone);
    }

    [Theory]
    [InlineData("12812345678")]
    [InlineData("1381234567")]
    [InlineData("phone")]
    public void A_phone_that_is_not_a_mainland_mobile_number_is_refused(string phone)
    {
        Assert.Contains("phone", Worker.Register(Guid.NewGuid(), Details(phone), Enterprise, Protector, Now).Errors.Keys);
    }

    [Fact]
    public void An_ID_number_with_a_wrong_check_character_is_refused()
    {
        Assert.Contains("idNumber", Worker.Register(Guid.NewGuid(), Details(idNumber: "110105194912310021"), Enterprise, Protector, Now).Errors.Keys);
    }

    [Fact]
    public void A_Party_member_gives_the_joining_date_and_others_do_not()
    {
        Assert.Contains("partyJoinedOn", Worker.Register(Guid.NewGuid(), Details(partyMember: true), Enterprise, Protector, Now).Errors.Keys);
        Assert.Contains("partyJoinedOn", Worker.Register(Guid.NewGuid(), Details(joined: new DateOnly(2015, 7, 1)), Enterprise, Protector, Now).Errors.Keys);
        Assert.Contains("partyJoinedOn", Worker.Register(Guid.NewGuid(), Details(partyMember: true, joined: new DateOnly(2027, 1, 1)), Enterprise, Protector, Now).Errors.Keys);
        Assert.True(Worker.Register(Guid.NewGuid(), Details(partyMember: true, joined: new DateOnly(2015, 7, 1)), Enterprise, Protector, Now).IsValid);
    }

    [Fact]
    public void The_enterprise_must_be_known()
    {
        Assert.Contains("enterpriseId", Worker.Register(Guid.NewGuid(), Details(), null, Protector, Now).Errors.Keys);
    }

    [Fact]
    public void An_invalid_update_changes_nothing()
    {
        var worker = Worker.Register(Guid.NewGuid(), Details(), Enterprise, Protector, Now).Value!;

        var errors = worker.Update(Details("nonsense") with { Name = "李四" }, Enterprise, Protector, Now.AddDays(1));

        Assert.Contains("phone", errors.Keys);
        Assert.Equal("张三丰", worker.Reveal(Protector).Name);
        Assert.Equal(Now, worker.UpdatedAt);
    }

    [Fact]
    public void The_registration_event_carries_no_personal_data()
    {
        var worker = Worker.Register(Guid.NewGuid(), Details(), Enterprise, Protector, Now).Value!;

        var e = worker.ToEvent();

        Assert.Equal((worker.Id, "courier", Enterprise.Id, false, "广阳区"), (e.WorkerId, e.Occupation, e.EnterpriseId, e.PartyMember, e.District));
    }
}

public sealed class ReportInTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Confirming_makes_the_report_in_active_ends_the_earlier_one_and_announces_it()
    {
        var worker = Guid.NewGuid();
        var earlier = ReportIn.Request(worker, Guid.NewGuid(), Now);
        earlier.Confirm(null, Now);
        var move = ReportIn.Request(worker, Guid.NewGuid(), Now.AddDays(30));

        var confirmed = move.Confirm(earlier, Now.AddDays(31));

        Assert.Null(confirmed.Refusal);
        Assert.Equal((worker, move.CommunityId), (confirmed.Value!.WorkerId, confirmed.Value.CommunityId));
        Assert.Equal((ReportInStatus.Active, ReportInStatus.Ended), (move.Status, earlier.Status));
        Assert.Equal(Now.AddDays(31), earlier.EndedAt);
    }

    [Fact]
    public void Only_a_pending_report_in_is_decided_and_declining_needs_a_reason()
    {
        var reportIn = ReportIn.Request(Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.Contains("reason", reportIn.Decline(" ", Now).Refusal!.Errors!.Keys);
        Assert.Null(reportIn.Decline("不在本社区", Now).Refusal);
        Assert.Equal(RefusalKind.Conflict, reportIn.Confirm(null, Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, reportIn.Decline("again", Now).Refusal?.Kind);
        Assert.Equal(ReportInStatus.Declined, reportIn.Status);
    }
}
