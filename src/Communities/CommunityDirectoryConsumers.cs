using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Communities;

public static class CommunityDirectoryRegistration
{
    /// <summary>
    /// Registers the consumers that keep the local copy, on the queues "&lt;service&gt;-community-directory" and
    /// "&lt;service&gt;-community-directory-updates", and <see cref="CommunityDirectory"/> for reading it.
    /// </summary>
    public static void AddCommunityDirectory<TDb>(this IBusRegistrationConfigurator bus, string serviceName) where TDb : DbContext
    {
        bus.AddConsumer<CommunityDirectoryConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-community-directory");
        bus.AddConsumer<CommunityDirectoryUpdateConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-community-directory-updates");
        bus.AddScoped(sp => new CommunityDirectory(sp.GetRequiredService<TDb>()));
    }
}

/// <summary>Upserts the local copy when a community is registered.</summary>
public sealed class CommunityDirectoryConsumer<TDb>(TDb db, MessagingTelemetry telemetry, ILogger<CommunityDirectoryConsumer<TDb>> logger)
    : IdempotentConsumer<CommunityRegistered, TDb>(db, telemetry, logger)
    where TDb : DbContext
{
    protected override string ConsumerName => "community-directory";

    protected override Task HandleAsync(CommunityRegistered message, ConsumeContext<CommunityRegistered> context, CancellationToken cancellationToken) =>
        CommunityCopy.KeepAsync(Db, message.CommunityId, () => LocalCommunity.From(message), c => c.Apply(message), logger, cancellationToken);
}

/// <summary>Brings the local copy up to date when a community's name, street or location changes.</summary>
public sealed class CommunityDirectoryUpdateConsumer<TDb>(TDb db, MessagingTelemetry telemetry, ILogger<CommunityDirectoryUpdateConsumer<TDb>> logger)
    : IdempotentConsumer<CommunityUpdated, TDb>(db, telemetry, logger)
    where TDb : DbContext
{
    protected override string ConsumerName => "community-directory-updates";

    protected override Task HandleAsync(CommunityUpdated message, ConsumeContext<CommunityUpdated> context, CancellationToken cancellationToken) =>
        CommunityCopy.KeepAsync(Db, message.CommunityId, () => LocalCommunity.From(message), c => c.Apply(message), logger, cancellationToken);
}

/// <summary>What both consumers do: start the copy from the event, or let the copy take the event's details.</summary>
internal static class CommunityCopy
{
    private static readonly Action<ILogger, Guid, Exception?> Copied =
        LoggerMessage.Define<Guid>(LogLevel.Information, new EventId(1, "CommunityCopied"), "Community {CommunityId} copied into the local directory");

    public static async Task KeepAsync(DbContext db, Guid communityId, Func<LocalCommunity> start, Action<LocalCommunity> apply, ILogger logger,
        CancellationToken cancellationToken)
    {
        var existing = await db.Set<LocalCommunity>().FindAsync([communityId], cancellationToken);
        if (existing is null)
        {
            db.Set<LocalCommunity>().Add(start());
        }
        else
        {
            apply(existing);
        }
        Copied(logger, communityId, null);
    }
}
