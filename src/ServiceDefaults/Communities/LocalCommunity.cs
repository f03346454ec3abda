using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.ServiceDefaults.Messaging;

namespace Platform.ServiceDefaults.Communities;

/// <summary>
/// A service's local copy of a community owned by the organizations service, fed by its events: services never
/// call organizations on a request path.
/// </summary>
public sealed class LocalCommunity
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string District { get; private set; } = "";
    public string Street { get; private set; } = "";
    public double Latitude { get; private set; }
    public double Longitude { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    private LocalCommunity() { }

    public static LocalCommunity From(CommunityRegistered e) => new()
    {
        Id = e.CommunityId,
        Name = e.Name,
        District = e.District,
        Street = e.Street,
        Latitude = e.Latitude,
        Longitude = e.Longitude,
        RegisteredAt = e.RegisteredAt,
    };

    public void Apply(CommunityRegistered e)
    {
        Name = e.Name;
        District = e.District;
        Street = e.Street;
        Latitude = e.Latitude;
        Longitude = e.Longitude;
        RegisteredAt = e.RegisteredAt;
    }
}

/// <summary>Read access to the local copy, whatever the owning service's context type.</summary>
public sealed class CommunityDirectory(DbContext db)
{
    public IQueryable<LocalCommunity> Communities => db.Set<LocalCommunity>().AsNoTracking();
}

public static class LocalCommunityModel
{
    public static ModelBuilder AddLocalCommunities(this ModelBuilder model)
    {
        model.Entity<LocalCommunity>(e =>
        {
            e.ToTable("communities");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.Street).HasMaxLength(50);
            e.HasIndex(x => new { x.District, x.Name });
        });
        return model;
    }

    /// <summary>Registers the consumer that keeps the local copy, on the queue "&lt;service&gt;-community-directory".</summary>
    public static void AddCommunityDirectory<TDb>(this IBusRegistrationConfigurator bus, string serviceName) where TDb : DbContext
    {
        bus.AddConsumer<CommunityDirectoryConsumer<TDb>>().Endpoint(e => e.Name = $"{serviceName}-community-directory");
        bus.AddScoped(sp => new CommunityDirectory(sp.GetRequiredService<TDb>()));
    }
}

/// <summary>Upserts the local copy when a community is registered.</summary>
public sealed class CommunityDirectoryConsumer<TDb>(TDb db, MessagingTelemetry telemetry, ILogger<CommunityDirectoryConsumer<TDb>> logger)
    : IdempotentConsumer<CommunityRegistered, TDb>(db, telemetry, logger)
    where TDb : DbContext
{
    protected override string ConsumerName => "community-directory";

    protected override async Task HandleAsync(CommunityRegistered message, ConsumeContext<CommunityRegistered> context, CancellationToken cancellationToken)
    {
        var existing = await Db.Set<LocalCommunity>().FindAsync([message.CommunityId], cancellationToken);
        if (existing is null)
        {
            Db.Set<LocalCommunity>().Add(LocalCommunity.From(message));
        }
        else
        {
            existing.Apply(message);
        }
        CommunityCopied(logger, message.CommunityId, null);
    }

    private static readonly Action<ILogger, Guid, Exception?> CommunityCopied =
        LoggerMessage.Define<Guid>(LogLevel.Information, new EventId(1, nameof(CommunityCopied)), "Community {CommunityId} copied into the local directory");
}
