using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class ServiceLogTests
{
    /// <summary>01:00 on 26 November in Langfang.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 17, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataProtector Protector = new(new byte[32]);

    private static Platform.ServiceDefaults.Validation.Validated<ServiceLog> Log(
        ServiceKind? kind = ServiceKind.ElderlyHelp, string servedOn = "2026-11-26", decimal? hours = 2.5m, string? note = null,
        bool communityKnown = true, decimal already = 0) =>
        ServiceLog.Record(Guid.NewGuid(), new ServiceLogDetails(kind, DateOnly.Parse(servedOn, System.Globalization.CultureInfo.InvariantCulture), hours, Guid.NewGuid(), note),
            communityKnown, already, Protector, Now);

    [Fact]
    public void A_log_waits_for_the_community_and_keeps_its_note_encrypted()
    {
        var log = Log(note: "帮李奶奶买药").Value!;

        Assert.Equal((ServiceLogStatus.Pending, 2.5m), (log.Status, log.Hours));
        Assert.DoesNotContain("李", log.NoteCipher!, StringComparison.Ordinal);
        Assert.Equal("帮李奶奶买药", log.Note(Protector));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(24.25)]
    [InlineData(1.1)]
    public void Hours_are_quarter_hours_within_a_day(double hours)
    {
        Assert.Contains("hours", Log(hours: (decimal)hours).Errors.Keys);
    }

    [Fact]
    public void A_day_holds_at_most_24_hours_in_all()
    {
        Assert.True(Log(hours: 4, already: 20).IsValid);
        Assert.Contains("hours", Log(hours: 4.25m, already: 20).Errors.Keys);
    }

    [Fact]
    public void The_date_is_local_not_in_the_future_and_not_long_ago()
    {
        // 26 November is today in Langfang although it is still the 25th in UTC.
        Assert.True(Log(servedOn: "2026-11-26").IsValid);
        Assert.Contains("servedOn", Log(servedOn: "2026-11-27").Errors.Keys);
        Assert.Contains("servedOn", Log(servedOn: "2026-08-27").Errors.Keys);
        Assert.True(Log(servedOn: "2026-08-28").IsValid);
    }

    [Fact]
    public void Other_service_needs_a_note_and_every_field_is_named_when_missing()
    {
        Assert.Contains("note", Log(kind: ServiceKind.Other).Errors.Keys);
        Assert.True(Log(kind: ServiceKind.Other, note: "帮社区搬运防疫物资").IsValid);
        var missing = ServiceLog.Record(Guid.NewGuid(), new ServiceLogDetails(null, null, null, null, null), false, 0, Protector, Now);
        Assert.Equal(["communityId", "hours", "kind", "servedOn"], missing.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("communityId", Log(communityKnown: false).Errors.Keys);
    }

    [Fact]
    public void A_log_is_decided_once_declining_needs_a_reason_and_only_a_pending_log_is_withdrawn()
    {
        var log = Log().Value!;
        Assert.Equal(RefusalKind.Invalid, log.Decline(" ", null, Now).Refusal?.Kind);
        Assert.Null(log.Confirm(Guid.NewGuid(), Now).Refusal);
        Assert.Equal(ServiceLogStatus.Confirmed, log.Status);
        Assert.Equal(RefusalKind.Conflict, log.Decline("不实", null, Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, log.Confirm(null, Now).Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, log.Withdraw().Refusal?.Kind);
        Assert.Null(Log().Value!.Withdraw().Refusal);
    }
}
