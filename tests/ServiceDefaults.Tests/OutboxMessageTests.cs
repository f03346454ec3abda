using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Platform.Contracts;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ServiceDefaults.Tests;

public class OutboxMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_row_keeps_the_event_and_its_type_so_it_can_be_published_later()
    {
        var evt = new CommunityRegistered(Guid.NewGuid(), "银河北路社区", "广阳区", "银河北路街道", 39.53, 116.70, Now);
        var row = OutboxMessage.For(evt, Now);

        var type = Type.GetType(row.MessageType, throwOnError: true)!;
        Assert.Equal(typeof(CommunityRegistered), type);
        Assert.Equal(evt, JsonSerializer.Deserialize(row.Payload, type, PlatformJson.Options));
        Assert.Equal(Now, row.OccurredAt);
        Assert.NotEqual(Guid.Empty, row.MessageId);
    }

    [Fact]
    public void Each_row_gets_its_own_message_id()
    {
        var evt = new EnterpriseRegistered(Guid.NewGuid(), "x", "91131000MA07Y0XX0X", "express", null, Now);
        Assert.NotEqual(OutboxMessage.For(evt, Now).MessageId, OutboxMessage.For(evt, Now).MessageId);
    }

    [Fact]
    public void The_row_carries_the_trace_of_the_request_that_wrote_it()
    {
        using var activity = new Activity("register community").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "city=langfang";
        var row = OutboxMessage.For(new EnterpriseRegistered(Guid.NewGuid(), "x", "c", "express", null, Now), Now);

        Assert.Equal(activity.Id, row.TraceParent);
        Assert.Equal("city=langfang", row.TraceState);
        Assert.StartsWith($"00-{activity.TraceId}-", row.TraceParent);
    }

    [Fact]
    public void Without_a_trace_the_row_has_none()
    {
        Assert.Null(Activity.Current);
        var row = OutboxMessage.For(new EnterpriseRegistered(Guid.NewGuid(), "x", "c", "express", null, Now), Now);
        Assert.Null(row.TraceParent);
    }

    [Fact]
    public async Task A_signal_wakes_one_wait_and_many_signals_coalesce()
    {
        using var signal = new OutboxSignal();
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        signal.Notify();
        signal.Notify();
        signal.Notify();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }
}
