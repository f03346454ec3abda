namespace Platform.Partners.Domain;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Every attempt failed; kept for the agency to inspect and replay.</summary>
    DeadLettered,
    /// <summary>Not sent because the subscription was disabled (410 Gone).</summary>
    Cancelled,
}

public enum AttemptOutcome
{
    Delivered,
    WillRetry,
    DeadLettered,
    Gone,
}

/// <summary>
/// One event on its way to one subscription. Kept in the database from the moment the event is consumed, so that
/// a restart of the service loses nothing; the webhook id stays the same across retries and replays so the
/// agency can drop duplicates.
/// </summary>
public sealed class Delivery
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; private set; }
    public string WebhookId { get; private set; } = "";
    public Guid SubscriptionId { get; private set; }
    public Guid AgencyId { get; private set; }
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = "";
    /// <summary>The CloudEvent exactly as sent (the signed body).</summary>
    public string Body { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    /// <summary>Claimed by a sender until then; another sender may take it over afterwards.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }
    public int? LastStatusCode { get; private set; }
    public int? LastLatencyMs { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public int Replays { get; private set; }

    private Delivery() { }

    public static Delivery For(Subscription subscription, PublicEventType type, Guid eventId, string body, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(type);
        var id = Guid.CreateVersion7(now);
        return new Delivery
        {
            Id = id,
            WebhookId = "msg_" + id.ToString("N"),
            SubscriptionId = subscription.Id,
            AgencyId = subscription.AgencyId,
            EventId = eventId,
            EventType = type.Type,
            Body = body,
            OccurredAt = occurredAt,
            CreatedAt = now,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
        };
    }

    /// <summary>
    /// Records the answer to one attempt: 2xx delivered; 410 stops the subscription; anything else (another status,
    /// a timeout, a refused connection or address) waits for the next step of the schedule or, after the last, is
    /// dead-lettered.
    /// </summary>
    /// <remarks><paramref name="statusCode"/> is null when no answer came; <paramref name="random"/> in [0, 1) picks the retry jitter.</remarks>
    public AttemptOutcome RecordAttempt(int? statusCode, int latencyMs, string? error, RetrySchedule schedule, double random, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Attempts++;
        LastStatusCode = statusCode;
        LastLatencyMs = latencyMs;
        LastError = error is null ? null : error.Length > ErrorMaxLength ? error[..ErrorMaxLength] : error;
        LeaseUntil = null;
        if (statusCode is >= 200 and < 300)
        {
            Status = DeliveryStatus.Delivered;
            DeliveredAt = now;
            LastError = null;
            return AttemptOutcome.Delivered;
        }
        if (statusCode == 410)
        {
            Status = DeliveryStatus.Cancelled;
            return AttemptOutcome.Gone;
        }
        // Attempts since the last replay decide the step: a replayed delivery gets the whole schedule again.
        if (schedule.DelayAfter(AttemptsSinceReplay, random) is { } delay)
        {
            NextAttemptAt = now + delay;
            return AttemptOutcome.WillRetry;
        }
        Status = DeliveryStatus.DeadLettered;
        return AttemptOutcome.DeadLettered;
    }

    private int AttemptsSinceReplay => Attempts - AttemptsBeforeReplay;

    /// <summary>Attempts made before the last replay.</summary>
    public int AttemptsBeforeReplay { get; private set; }

    /// <summary>Sends it again now (same webhook id), whatever happened before.</summary>
    public void Replay(DateTimeOffset now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        LeaseUntil = null;
        Replays++;
        AttemptsBeforeReplay = Attempts;
    }

    /// <summary>Its subscription was disabled: it will not be sent.</summary>
    public void Cancel()
    {
        if (Status == DeliveryStatus.Pending)
        {
            Status = DeliveryStatus.Cancelled;
        }
    }
}

/// <summary>One try to deliver, for the agency's delivery log.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? StatusCode { get; private set; }
    public int LatencyMs { get; private set; }
    public string? Error { get; private set; }

    private DeliveryAttempt() { }

    public static DeliveryAttempt Of(Delivery delivery, DateTimeOffset at) => new()
    {
        DeliveryId = delivery.Id,
        Number = delivery.Attempts,
        At = at,
        StatusCode = delivery.LastStatusCode,
        LatencyMs = delivery.LastLatencyMs ?? 0,
        Error = delivery.LastError,
    };
}
