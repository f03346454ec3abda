namespace Platform.Partners.Domain;

public enum SubscriptionStatus
{
    Active,
    /// <summary>Stopped: the agency's endpoint answered 410 Gone, or the agency paused it.</summary>
    Disabled,
}

/// <summary>
/// An agency's wish to receive some event types (optionally only some districts and categories) at a callback URL,
/// signed with a secret only the agency and the platform know.
/// </summary>
public sealed class Subscription
{
    public const int MaxFilterValues = 50;
    public const int FilterValueMaxLength = 100;
    /// <summary>How long the previous secret still signs after a rotation, unless the agency asks otherwise.</summary>
    public static readonly TimeSpan DefaultRotationOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(7);

    public Guid Id { get; private set; }
    public Guid AgencyId { get; private set; }
    public List<string> EventTypes { get; private set; } = [];
    public List<string> Districts { get; private set; } = [];
    public List<string> Categories { get; private set; } = [];
    public string CallbackUrl { get; private set; } = "";
    /// <summary>The current signing secret, encrypted at rest.</summary>
    public string Secret { get; private set; } = "";
    /// <summary>The secret before the last rotation, still signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public SubscriptionStatus Status { get; private set; }
    public string? DisabledReason { get; private set; }
    /// <summary>A delivery was dead-lettered: the agency should look at its endpoint and replay.</summary>
    public bool NeedsAttention { get; private set; }
    public DateTimeOffset? LastDeadLetterAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint Version { get; private set; }

    private Subscription() { }

    public static Subscription Create(Guid agencyId, IEnumerable<string> eventTypes, IEnumerable<string>? districts,
        IEnumerable<string>? categories, Uri callback, string protectedSecret, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        AgencyId = agencyId,
        EventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal)],
        Districts = [.. (districts ?? []).Distinct(StringComparer.Ordinal)],
        Categories = [.. (categories ?? []).Distinct(StringComparer.Ordinal)],
        CallbackUrl = callback.AbsoluteUri,
        Secret = protectedSecret,
        Status = SubscriptionStatus.Active,
        CreatedAt = now,
    };

    /// <summary>
    /// Whether an event of <paramref name="type"/> in <paramref name="district"/> / <paramref name="category"/> is
    /// wanted. A filter applies only to types it can apply to: a category filter (first-aid kits) does not hold back
    /// a station's closure, which has no category.
    /// </summary>
    public bool Wants(PublicEventType type, string? district, string? category)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Status == SubscriptionStatus.Active
            && EventTypes.Contains(type.Type, StringComparer.Ordinal)
            && (Districts.Count == 0 || !type.FilterableByDistrict || (district is not null && Districts.Contains(district, StringComparer.Ordinal)))
            && (Categories.Count == 0 || type.CategoryMeaning is null || (category is not null && Categories.Contains(category, StringComparer.Ordinal)));
    }

    /// <summary>The secrets that sign a delivery now: the current one, and the previous one during the overlap.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now)
    {
        yield return Secret;
        if (PreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return PreviousSecret;
        }
    }

    public void RotateSecret(string protectedSecret, TimeSpan overlap, DateTimeOffset now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = protectedSecret;
    }

    public void ChangeCallback(Uri callback) => CallbackUrl = callback.AbsoluteUri;

    /// <summary>The endpoint said it will never want these deliveries again (410 Gone).</summary>
    public void DisableBecauseGone(DateTimeOffset now)
    {
        Status = SubscriptionStatus.Disabled;
        DisabledReason = $"The callback answered 410 Gone at {now:u}.";
    }

    public void Pause()
    {
        Status = SubscriptionStatus.Disabled;
        DisabledReason = "Paused by the agency.";
    }

    /// <summary>Starts delivering again and clears the attention flag (the agency has fixed its endpoint).</summary>
    public void Resume()
    {
        Status = SubscriptionStatus.Active;
        DisabledReason = null;
        NeedsAttention = false;
    }

    public void FlagDeadLetter(DateTimeOffset now)
    {
        NeedsAttention = true;
        LastDeadLetterAt = now;
    }
}
