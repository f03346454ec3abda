using Microsoft.EntityFrameworkCore;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Partners.Data;

public sealed class PartnersDb(DbContextOptions<PartnersDb> options) : DbContext(options)
{
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<AllowedHost> AllowedHosts => Set<AllowedHost>();
    public DbSet<StationDistrict> StationDistricts => Set<StationDistrict>();
    public DbSet<RightsCaseCount> RightsCaseCounts => Set<RightsCaseCount>();
    public DbSet<MonthlyReportSent> MonthlyReportsSent => Set<MonthlyReportSent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.Entity<Agency>(e =>
        {
            e.ToTable("agencies");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Agency.NameMaxLength);
            e.Property(x => x.ClientId).HasMaxLength(Agency.ClientIdMaxLength);
            e.HasIndex(x => x.ClientId).IsUnique();
        });
        modelBuilder.Entity<Subscription>(e =>
        {
            e.ToTable("subscriptions");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.CallbackUrl).HasMaxLength(CallbackUrl.MaxLength);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.DisabledReason).HasMaxLength(200);
            // Two agencies editing the same subscription, or a delivery disabling it while the agency resumes it.
            e.Property(x => x.Version).IsRowVersion();
            e.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId);
            e.HasIndex(x => x.AgencyId);
        });
        modelBuilder.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.WebhookId).HasMaxLength(40);
            e.Property(x => x.EventType).HasMaxLength(100);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.LastError).HasMaxLength(Delivery.ErrorMaxLength);
            e.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId);
            // One delivery per event and subscription, whatever the redeliveries.
            e.HasIndex(x => new { x.SubscriptionId, x.EventId }).IsUnique();
            e.HasIndex(x => x.WebhookId).IsUnique();
            // The sender's query: due pending deliveries.
            e.HasIndex(x => x.NextAttemptAt).HasFilter("\"Status\" = 'Pending'").HasDatabaseName("ix_deliveries_due");
            // The agency's log.
            e.HasIndex(x => new { x.AgencyId, x.CreatedAt });
        });
        modelBuilder.Entity<DeliveryAttempt>(e =>
        {
            e.ToTable("delivery_attempts");
            e.Property(x => x.Error).HasMaxLength(Delivery.ErrorMaxLength);
            e.HasIndex(x => x.DeliveryId);
        });
        modelBuilder.Entity<AllowedHost>(e =>
        {
            e.ToTable("allowed_hosts");
            e.HasKey(x => x.Host);
            e.Property(x => x.Host).HasMaxLength(253);
        });
        modelBuilder.Entity<StationDistrict>(e =>
        {
            e.ToTable("station_districts");
            e.HasKey(x => x.StationId);
            e.Property(x => x.District).HasMaxLength(100);
        });
        modelBuilder.Entity<RightsCaseCount>(e =>
        {
            e.ToTable("rights_case_counts");
            e.HasKey(x => new { x.Month, x.District, x.Category });
            e.Property(x => x.Month).HasMaxLength(7);
            e.Property(x => x.District).HasMaxLength(100);
            e.Property(x => x.Category).HasMaxLength(60);
        });
        modelBuilder.Entity<MonthlyReportSent>(e =>
        {
            e.ToTable("monthly_reports_sent");
            e.HasKey(x => new { x.SubscriptionId, x.Month });
            e.Property(x => x.Month).HasMaxLength(7);
        });
    }
}
