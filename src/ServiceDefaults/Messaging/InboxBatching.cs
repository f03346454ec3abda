using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ServiceDefaults.Tests")]

namespace Platform.ServiceDefaults.Messaging;

public sealed class InboxOptions
{
    /// <summary>
    /// Most messages one consumer applies in one transaction. Messages are grouped only when they wait for each other
    /// (group commit): a lone message is applied at once, never held back for a batch to fill.
    /// </summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>Transactions one consumer has open at a time (each on its own connection).</summary>
    public int ConcurrentBatches { get; set; } = 2;
}

/// <summary>One delivered message waiting in its consumer's lane.</summary>
internal sealed class PendingMessage<TMessage>(ConsumeContext<TMessage> context, Guid messageId, Activity? activity)
    where TMessage : class
{
    public ConsumeContext<TMessage> Context { get; } = context;
    public Guid MessageId { get; } = messageId;
    /// <summary>
    /// The delivery's cancellation, read once while the delivery is live. Read later, <c>Context.CancellationToken</c>
    /// throws: when the broker connection drops, MassTransit disposes the token source of every delivery in hand, and
    /// a leader touching a queued message's context then lost its slot for good (seen in the platform's fault test).
    /// </summary>
    public CancellationToken Cancellation { get; } = context.CancellationToken;
    /// <summary>The consume activity of this message: its trace continues in <c>HandleAsync</c> even when another message's consumer applies it.</summary>
    public Activity? Activity { get; } = activity;
    /// <summary>True once applied and committed, false if it was a duplicate; faults with the message's own error.</summary>
    public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for one consumer type. Each delivered message joins the lane and waits. Up to
/// <see cref="InboxOptions.ConcurrentBatches"/> of the waiting deliveries lead: a leader takes what is waiting (up to
/// <see cref="InboxOptions.BatchSize"/>), applies it in one transaction with its own consumer instance, and repeats until
/// the lane is empty. So one transaction (one commit, one WAL flush) serves many messages under load, and a single
/// message at low load is applied immediately.
/// </summary>
internal sealed class InboxLane<TMessage>(InboxOptions options) where TMessage : class
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingMessage<TMessage>> _waiting = new();
    private int _leaders;

    /// <summary>Messages queued and not yet taken into a batch.</summary>
    internal int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues the message and, if a leader slot is free, applies batches until the lane is empty.</summary>
    /// <param name="message">The delivered message.</param>
    /// <param name="applyBatch">Applies one batch; must settle every message's <see cref="PendingMessage{TMessage}.Outcome"/> and not throw.</param>
    public async Task<bool> SubmitAsync(PendingMessage<TMessage> message, Func<List<PendingMessage<TMessage>>, Task> applyBatch)
    {
        bool lead;
        lock (_gate)
        {
            _waiting.Enqueue(message);
            lead = _leaders < Math.Max(1, options.ConcurrentBatches);
            if (lead)
            {
                _leaders++;
            }
        }
        if (lead)
        {
            await LeadAsync(applyBatch);
        }
        // A delivery cancelled while waiting (bus stopping) is not acknowledged and comes back; if it was applied
        // meanwhile, the inbox absorbs the redelivery.
        return await message.Outcome.Task.WaitAsync(message.Cancellation);
    }

    private async Task LeadAsync(Func<List<PendingMessage<TMessage>>, Task> applyBatch)
    {
        while (true)
        {
            var batch = new List<PendingMessage<TMessage>>();
            lock (_gate)
            {
                // Nothing in here may throw: a leader leaving other than through the return below would keep its slot.
                while (batch.Count < Math.Max(1, options.BatchSize) && _waiting.TryDequeue(out var next))
                {
                    if (next.Cancellation.IsCancellationRequested)
                    {
                        next.Outcome.TrySetCanceled(next.Cancellation);
                        continue;
                    }
                    batch.Add(next);
                }
                if (batch.Count == 0)
                {
                    // Leaving under the same lock as joining: a message queued after this check finds a free slot.
                    _leaders--;
                    return;
                }
            }
            try
            {
                await applyBatch(batch);
            }
            catch (Exception ex)
            {
                // Not expected (applyBatch settles every message itself), but a leader must never leave its
                // messages waiting or the lane without a leader.
                foreach (var message in batch)
                {
                    message.Outcome.TrySetException(ex);
                }
            }
        }
    }
}

/// <summary>The lanes of one host (registered as a singleton by <see cref="MessagingExtensions.AddMessaging{TDb}"/>).</summary>
internal sealed class InboxLanes(IOptions<InboxOptions> options)
{
    private readonly ConcurrentDictionary<Type, object> _lanes = new();

    internal InboxLane<TMessage> For<TMessage>(Type consumerType) where TMessage : class =>
        (InboxLane<TMessage>)_lanes.GetOrAdd(consumerType, static (_, o) => new InboxLane<TMessage>(o), options.Value);
}
