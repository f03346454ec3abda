using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>The outbox's dashboard figures: a backlog and its age while the broker is away, then every event published.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class OutboxMetricsTests(LocalInfrastructure infrastructure)
{
    [Fact]
    public async Task While_the_broker_is_down_pending_and_oldest_age_grow_and_after_it_returns_they_drop_and_the_events_count_as_published()
    {
        await using var service = await KitService.StartAsync(infrastructure, $"kit{Guid.NewGuid():N}"[..14]);
        using var pending = service.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.outbox.pending");
        using var age = service.Services.Collect<double>(MessagingTelemetry.MeterName, "platform.outbox.oldest_pending_age");
        using var published = service.Services.Collect<long>(MessagingTelemetry.MeterName, "platform.outbox.published");

        await infrastructure.StopBrokerAsync();
        List<KitEvent> events;
        try
        {
            events = await service.CommitEventsAsync(30, perTransaction: 10);
            await pending.GaugeReachesAsync(30, "30 events waiting in the outbox");
            await Eventually.Until(_ =>
            {
                age.RecordObservableInstruments();
                return Task.FromResult(age.LastMeasurement?.Value ?? 0);
            }, seconds => seconds >= 1, "the oldest waiting event at least a second old", ServiceMetrics.Timeout);
            Assert.Empty(published.GetMeasurementSnapshot());
        }
        finally
        {
            await infrastructure.StartBrokerAsync();
        }

        Assert.Equal(30, (await service.WaitForEffectsAsync(events, TimeSpan.FromSeconds(60))).Count);
        await pending.GaugeReachesAsync(0, "the outbox empty");
        await Eventually.Until(_ => Task.FromResult(published.GetMeasurementSnapshot().Sum(m => m.Value)), n => n == 30, "30 events counted as published", ServiceMetrics.Timeout);
    }
}
