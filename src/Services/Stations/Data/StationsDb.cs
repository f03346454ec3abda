using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Platform.Communities;
using Platform.ServiceDefaults.Messaging;
using Platform.Stations.Domain;

namespace Platform.Stations.Data;

public sealed class StationsDb(DbContextOptions<StationsDb> options) : DbContext(options)
{
    /// <summary>Numbers committed station changes in commit order; see <c>Application/StationChanges</c>.</summary>
    public const string RevisionSequence = "station_revisions";

    /// <summary>Local copy of the communities registered with the organizations service.</summary>
    public DbSet<LocalCommunity> Communities => Set<LocalCommunity>();
    public DbSet<Station> Stations => Set<Station>();
    public DbSet<Zone> Zones => Set<Zone>();
    public DbSet<ZoneStation> ZoneStations => Set<ZoneStation>();
    public DbSet<StationSupply> Supplies => Set<StationSupply>();
    public DbSet<CheckIn> CheckIns => Set<CheckIn>();
    public DbSet<GuestBookEntry> GuestBook => Set<GuestBookEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.AddLocalCommunities();
        modelBuilder.HasSequence<long>(RevisionSequence);
        modelBuilder.Entity<Station>(e =>
        {
            e.ToTable("stations");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Station.NameMaxLength);
            e.Property(x => x.Address).HasMaxLength(Station.AddressMaxLength);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.HostType).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Amenities).HasConversion<int>();
            // Hours are read and written whole, as the keeper edits them: one JSON document.
            e.Property(x => x.Hours)
                .HasColumnType("jsonb")
                .HasConversion(
                    h => HoursDocument.From(h).ToJson(),
                    json => HoursDocument.Read(json),
                    new ValueComparer<OpeningHours>(
                        (a, b) => HoursDocument.From(a!).ToJson() == HoursDocument.From(b!).ToJson(),
                        h => HoursDocument.From(h).ToJson().GetHashCode(StringComparison.Ordinal),
                        h => HoursDocument.Read(HoursDocument.From(h).ToJson())));
            e.Ignore(x => x.IsActive);
            e.HasIndex(x => x.Revision).IsUnique();
            e.HasIndex(x => new { x.CommunityId, x.Name });
        });
        modelBuilder.Entity<Zone>(e =>
        {
            e.ToTable("zones");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Zone.NameMaxLength);
            e.Property(x => x.Description).HasMaxLength(Zone.DescriptionMaxLength);
            e.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<ZoneStation>(e =>
        {
            e.ToTable("zone_stations");
            e.HasKey(x => new { x.ZoneId, x.StationId });
            e.HasOne<Zone>().WithMany().HasForeignKey(x => x.ZoneId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Station>().WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.StationId);
        });
        modelBuilder.Entity<StationSupply>(e =>
        {
            e.ToTable("station_supplies");
            e.HasKey(x => new { x.StationId, x.Item });
            e.Property(x => x.Item).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Version).IsRowVersion();
            e.HasOne<Station>().WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CheckIn>(e =>
        {
            e.ToTable("check_ins");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasOne<Station>().WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.StationId, x.LocalDate });
            e.HasIndex(x => new { x.WorkerId, x.StationId, x.At });
            e.HasIndex(x => x.LocalDate);
        });
        modelBuilder.Entity<GuestBookEntry>(e =>
        {
            e.ToTable("guest_book");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Text).HasMaxLength(GuestBookEntry.TextMaxLength);
            e.Property(x => x.Reply).HasMaxLength(GuestBookEntry.TextMaxLength);
            e.Property(x => x.HiddenReason).HasMaxLength(GuestBookEntry.ReasonMaxLength);
            e.HasOne<Station>().WithMany().HasForeignKey(x => x.StationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.StationId, x.WrittenAt });
        });
    }
}
