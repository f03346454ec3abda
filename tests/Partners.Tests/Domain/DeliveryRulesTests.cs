using Platform.Contracts;
using Platform.Partners.Domain;

namespace Platform.Partners.Tests.Domain;

public sealed class DeliveryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly PublicEventType Hazards = PublicEventCatalogue.Find(PublicEventCatalogue.TypePrefix + "hazard.reported.v1")!;
    private static readonly PublicEventType Closures = PublicEventCatalogue.Find(PublicEventCatalogue.TypePrefix + "station.closed.v1")!;

    [Fact]
    public void The_default_schedule_keeps_trying_for_more_than_a_day()
    {
        Assert.True(RetrySchedule.Default.Span > TimeSpan.FromDays(1));
        Assert.Equal(8, RetrySchedule.Default.MaxAttempts);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999999, 1.2)]
    public void Each_wait_has_jitter_of_at_most_a_fifth(double random, double factor)
    {
        var delay = RetrySchedule.Default.DelayAfter(2, random)!.Value;
        Assert.Equal(TimeSpan.FromMinutes(5).TotalSeconds * factor, delay.TotalSeconds, precision: 2);
    }

    [Fact]
    public void Attempts_retry_until_the_schedule_ends_then_dead_letter()
    {
        var schedule = new RetrySchedule([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
        var delivery = NewDelivery();
        Assert.Equal(AttemptOutcome.WillRetry, delivery.RecordAttempt(500, 10, "HTTP 500", schedule, 0.5, Now));
        Assert.Equal(Now.AddSeconds(1), delivery.NextAttemptAt);
        Assert.Equal(AttemptOutcome.WillRetry, delivery.RecordAttempt(null, 10, "timeout", schedule, 0.5, Now));
        Assert.Equal(AttemptOutcome.DeadLettered, delivery.RecordAttempt(503, 10, "HTTP 503", schedule, 0.5, Now));
        Assert.Equal(DeliveryStatus.DeadLettered, delivery.Status);
        Assert.Equal(3, delivery.Attempts);

        // A replay gets the whole schedule again.
        delivery.Replay(Now);
        Assert.Equal(AttemptOutcome.WillRetry, delivery.RecordAttempt(500, 10, "HTTP 500", schedule, 0.5, Now));
        Assert.Equal(1, delivery.Replays);
    }

    [Theory]
    [InlineData(200, AttemptOutcome.Delivered)]
    [InlineData(204, AttemptOutcome.Delivered)]
    [InlineData(410, AttemptOutcome.Gone)]
    [InlineData(301, AttemptOutcome.WillRetry)]
    [InlineData(404, AttemptOutcome.WillRetry)]
    [InlineData(429, AttemptOutcome.WillRetry)]
    public void The_answer_decides_the_outcome(int status, AttemptOutcome expected) =>
        Assert.Equal(expected, NewDelivery().RecordAttempt(status, 5, null, RetrySchedule.Default, 0.5, Now));

    [Fact]
    public void Filters_apply_only_where_they_can()
    {
        var subscription = Subscription.Create(Guid.NewGuid(), [Hazards.Type, Closures.Type], ["广阳区"], ["manhole-cover"],
            new Uri("https://partner.example.org/hook"), "secret", Now);
        Assert.True(subscription.Wants(Hazards, "广阳区", "manhole-cover"));
        Assert.False(subscription.Wants(Hazards, "安次区", "manhole-cover"));
        Assert.False(subscription.Wants(Hazards, "广阳区", "fallen-tree"));
        Assert.False(subscription.Wants(Hazards, null, "manhole-cover"));
        // A closure has no category: the category filter does not hold it back; the district filter still does.
        Assert.True(subscription.Wants(Closures, "广阳区", null));
        Assert.False(subscription.Wants(Closures, "安次区", null));
        subscription.Pause();
        Assert.False(subscription.Wants(Hazards, "广阳区", "manhole-cover"));
    }

    [Fact]
    public void After_a_rotation_both_secrets_sign_until_the_overlap_ends()
    {
        var subscription = Subscription.Create(Guid.NewGuid(), [Hazards.Type], null, null, new Uri("https://partner.example.org/hook"), "old", Now);
        subscription.RotateSecret("new", TimeSpan.FromHours(1), Now);
        Assert.Equal(["new", "old"], subscription.SigningSecrets(Now.AddMinutes(59)));
        Assert.Equal(["new"], subscription.SigningSecrets(Now.AddMinutes(61)));
    }

    [Fact]
    public void Months_are_counted_in_city_time()
    {
        // 2026-10-31 17:00 UTC is already 1 November in Langfang.
        Assert.Equal("2026-11", RightsCaseCount.MonthOf(new DateTimeOffset(2026, 10, 31, 17, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-10", RightsCaseCount.LastClosedMonth(new DateTimeOffset(2026, 11, 1, 0, 30, 0, TimeSpan.FromHours(8))));
        Assert.Equal("2025-12", RightsCaseCount.LastClosedMonth(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(RightsCaseCount.HasEnded("2026-11", Now));
        Assert.True(RightsCaseCount.HasEnded("2026-10", Now));
    }

    private static Delivery NewDelivery()
    {
        var subscription = Subscription.Create(Guid.NewGuid(), [Hazards.Type], null, null, new Uri("https://partner.example.org/hook"), "secret", Now);
        return Delivery.For(subscription, Hazards, Guid.NewGuid(), "{}", Now, Now);
    }
}
