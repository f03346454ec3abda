using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>An integration event waiting to be published; written in the same transaction as the change it announces.</summary>
public sealed class OutboxMessage
{
    /// <summary>Creation order: the dispatcher publishes in ascending id.</summary>
    public long Id { get; private set; }
    public Guid MessageId { get; private set; }
    public string MessageType { get; private set; } = "";
    public string Payload { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>W3C trace context of the request that caused the event, so the trace continues through the broker.</summary>
    public string? TraceParent { get; private set; }
    public string? TraceState { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    private OutboxMessage() { }

    public static OutboxMessage For<TEvent>(TEvent message, DateTimeOffset now) where TEvent : class
    {
        var activity = Activity.Current;
        return new OutboxMessage
        {
            MessageId = MassTransit.NewId.NextGuid(), // time-ordered: keeps the outbox and inbox indexes compact
            MessageType = TypeName(typeof(TEvent)),
            Payload = JsonSerializer.Serialize(message, PlatformJson.Options),
            OccurredAt = now,
            TraceParent = activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            TraceState = activity?.TraceStateString,
        };
    }

    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal static string TruncateError(string error) => error.Length > 2000 ? error[..2000] : error;
}

/// <summary>Marks that a consumer has already taken effect for a message: the key of idempotent consumption.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }
    public string Consumer { get; init; } = "";
    public DateTimeOffset ProcessedAt { get; init; }
}

public static class MessagingModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Adds the tables every service has (outbox, inbox, idempotent requests). Call from OnModelCreating.</summary>
    public static ModelBuilder AddPlatformTables(this ModelBuilder model) =>
        model.AddMessagingTables().AddIdempotencyTable();

    /// <summary>Adds the outbox and inbox tables to a model.</summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable(OutboxTable);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.HasIndex(x => x.MessageId).IsUnique();
            e.Property(x => x.MessageType).HasMaxLength(300);
            e.Property(x => x.TraceParent).HasMaxLength(55);
            e.Property(x => x.TraceState).HasMaxLength(512);
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable(InboxTable);
            e.HasKey(x => new { x.MessageId, x.Consumer });
            e.Property(x => x.Consumer).HasMaxLength(200);
        });
        return model;
    }

    /// <summary>
    /// Queues an integration event in the outbox of this context. It is published only if and when the
    /// surrounding SaveChanges commits.
    /// </summary>
    public static void Publish<TEvent>(this DbContext db, TEvent message, TimeProvider? clock = null) where TEvent : class
    {
        db.Set<OutboxMessage>().Add(OutboxMessage.For(message, (clock ?? TimeProvider.System).GetUtcNow()));
        OutboxSignalInterceptor.MarkPublished(db);
    }
}
