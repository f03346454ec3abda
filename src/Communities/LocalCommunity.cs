using Microsoft.EntityFrameworkCore;
using Platform.Contracts;

namespace Platform.Communities;

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

    /// <summary>When the details held here were true at the owner: events older than this change nothing.</summary>
    public DateTimeOffset AsOf { get; private set; }

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
        AsOf = e.RegisteredAt,
    };

    /// <summary>An update that overtook the registration on the broker: the copy starts from the newer details.</summary>
    public static LocalCommunity From(CommunityUpdated e) => new()
    {
        Id = e.CommunityId,
        Name = e.Name,
        District = e.District,
        Street = e.Street,
        Latitude = e.Latitude,
        Longitude = e.Longitude,
        RegisteredAt = e.UpdatedAt,
        AsOf = e.UpdatedAt,
    };

    public void Apply(CommunityRegistered e)
    {
        // The registration is the first fact: it fixes the registration time even when an update got here first.
        RegisteredAt = e.RegisteredAt;
        Take(e.Name, e.District, e.Street, e.Latitude, e.Longitude, e.RegisteredAt);
    }

    public void Apply(CommunityUpdated e) => Take(e.Name, e.District, e.Street, e.Latitude, e.Longitude, e.UpdatedAt);

    private void Take(string name, string district, string street, double latitude, double longitude, DateTimeOffset asOf)
    {
        // Events may arrive in any order and more than once: only details newer than the ones held replace them.
        if (asOf < AsOf)
        {
            return;
        }
        Name = name;
        District = district;
        Street = street;
        Latitude = latitude;
        Longitude = longitude;
        AsOf = asOf;
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
}
