using Microsoft.EntityFrameworkCore;
using Platform.Communities;
using Platform.ServiceDefaults.Messaging;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Data;

public sealed class VolunteersDb(DbContextOptions<VolunteersDb> options) : DbContext(options)
{
    /// <summary>The statuses of a hazard still open, as SQL: the filter of the duplicate check's partial index and of its query.</summary>
    public const string OpenReportFilter = "\"Status\" IN ('Open', 'Acknowledged', 'InProgress')";

    /// <summary>Local copy of the communities registered with the organizations service.</summary>
    public DbSet<LocalCommunity> Communities => Set<LocalCommunity>();
    /// <summary>Local copy of the enterprises registered with the organizations service.</summary>
    public DbSet<LocalEnterprise> Enterprises => Set<LocalEnterprise>();
    public DbSet<Worker> Workers => Set<Worker>();
    public DbSet<ReportIn> ReportIns => Set<ReportIn>();
    public DbSet<HazardReport> HazardReports => Set<HazardReport>();
    public DbSet<HazardStatusChange> HazardStatusChanges => Set<HazardStatusChange>();
    public DbSet<HazardSubmission> HazardSubmissions => Set<HazardSubmission>();
    public DbSet<HazardPhoto> HazardPhotos => Set<HazardPhoto>();
    public DbSet<HazardRoute> HazardRoutes => Set<HazardRoute>();
    public DbSet<VanguardTeam> VanguardTeams => Set<VanguardTeam>();
    public DbSet<VanguardMembership> VanguardMemberships => Set<VanguardMembership>();
    public DbSet<ServiceLog> ServiceLogs => Set<ServiceLog>();
    public DbSet<MeritMonth> MeritMonths => Set<MeritMonth>();
    public DbSet<MeritNomination> MeritNominations => Set<MeritNomination>();
    public DbSet<MeritScore> MeritScores => Set<MeritScore>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.AddLocalCommunities();
        modelBuilder.Entity<LocalEnterprise>(e =>
        {
            e.ToTable("enterprises");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Industry).HasMaxLength(30);
            e.Property(x => x.District).HasMaxLength(50);
        });
        modelBuilder.Entity<Worker>(e =>
        {
            e.ToTable("workers");
            e.Property(x => x.Id).ValueGeneratedNever();
            // Ciphertexts (AES-GCM, base64) of at most a few hundred characters; the index is a base64 HMAC-SHA256.
            e.Property(x => x.NameCipher).HasMaxLength(400);
            e.Property(x => x.PhoneCipher).HasMaxLength(200);
            e.Property(x => x.IdNumberCipher).HasMaxLength(200);
            e.Property(x => x.PhoneIndex).HasMaxLength(64);
            e.HasIndex(x => x.PhoneIndex).IsUnique();
            e.Property(x => x.Occupation).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.District).HasMaxLength(50);
            e.HasIndex(x => x.Occupation);
        });
        modelBuilder.Entity<ReportIn>(e =>
        {
            e.ToTable("report_ins");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.DeclineReason).HasMaxLength(ReportIn.ReasonMaxLength);
            e.Property(x => x.Version).IsRowVersion();
            // One pending report-in per worker, also under concurrent requests; only a pending one becomes active.
            e.HasIndex(x => x.WorkerId).IsUnique().HasFilter("\"Status\" = 'Pending'").HasDatabaseName("ix_report_ins_one_pending");
            e.HasIndex(x => new { x.WorkerId, x.Status });
            e.HasIndex(x => new { x.CommunityId, x.Status });
        });
        modelBuilder.Entity<HazardReport>(e =>
        {
            e.ToTable("hazard_reports");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Description).HasMaxLength(HazardReport.DescriptionMaxLength);
            e.Property(x => x.StatusNotes).HasMaxLength(HazardReport.NotesMaxLength);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.Department).HasMaxLength(HazardRoute.DepartmentMaxLength);
            e.Ignore(x => x.Position);
            e.Property(x => x.Version).IsRowVersion();
            e.HasMany(x => x.Changes).WithOne().HasForeignKey(c => c.ReportId);
            e.Navigation(x => x.Changes).HasField("_changes").UsePropertyAccessMode(PropertyAccessMode.Field);
            // The duplicate check reads only open reports of one category in a narrow latitude band: a range scan
            // on this partial index, never a scan of the table.
            e.HasIndex(x => new { x.Category, x.Latitude, x.Longitude })
                .HasFilter(OpenReportFilter)
                .HasDatabaseName("ix_hazard_reports_open_position");
            e.HasIndex(x => new { x.Department, x.ReportedAt });
            e.HasIndex(x => x.ReportedAt);
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(20).HasDefaultValue(HazardSource.Live);
            e.Property(x => x.ExternalId).HasMaxLength(HazardImport.ExternalIdMaxLength);
            // A ledger report is imported once: re-sending a batch finds it by this id.
            e.HasIndex(x => x.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        });
        modelBuilder.Entity<HazardStatusChange>(e =>
        {
            e.ToTable("hazard_status_changes");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.From).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.To).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Notes).HasMaxLength(HazardReport.NotesMaxLength);
            e.Property(x => x.ActorKind).HasMaxLength(30);
            e.Property(x => x.ActorDepartment).HasMaxLength(HazardRoute.DepartmentMaxLength);
            e.HasIndex(x => new { x.ReportId, x.ChangedAt });
        });
        modelBuilder.Entity<HazardSubmission>(e =>
        {
            e.ToTable("hazard_submissions");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => new { x.WorkerId, x.SubmittedAt });
            // A worker follows a report once, however often they report it.
            e.HasIndex(x => new { x.ReportId, x.WorkerId }).IsUnique();
            e.HasOne<HazardReport>().WithMany().HasForeignKey(x => x.ReportId);
        });
        modelBuilder.Entity<HazardPhoto>(e =>
        {
            e.ToTable("hazard_photos");
            e.HasKey(x => x.ReportId);
            e.Property(x => x.ContentType).HasMaxLength(20);
            e.HasOne<HazardReport>().WithOne().HasForeignKey<HazardPhoto>(x => x.ReportId);
        });
        modelBuilder.Entity<HazardRoute>(e =>
        {
            e.ToTable("hazard_routes");
            e.HasKey(x => new { x.Category, x.District });
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.District).HasMaxLength(50);
            e.Property(x => x.Department).HasMaxLength(HazardRoute.DepartmentMaxLength);
            // The city-wide rules every installation starts with; officers change them through the API.
            var seeded = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
            e.HasData(HazardCategoryInfo.All.Select(c => HazardRoute.CityWide(c.Category, c.DefaultDepartment, seeded)));
        });
        modelBuilder.Entity<VanguardTeam>(e =>
        {
            e.ToTable("vanguard_teams");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(VanguardTeam.NameMaxLength);
            e.Property(x => x.Version).IsRowVersion();
            e.Ignore(x => x.IsActive);
            // One active team per community, also when two staff form one at the same moment.
            e.HasIndex(x => x.CommunityId).IsUnique().HasFilter("\"DissolvedAt\" IS NULL").HasDatabaseName("ix_vanguard_teams_one_active_per_community");
        });
        modelBuilder.Entity<VanguardMembership>(e =>
        {
            e.ToTable("vanguard_memberships");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.EndedBy).HasConversion<string>().HasMaxLength(20);
            e.Ignore(x => x.IsCurrent);
            e.HasOne<VanguardTeam>().WithMany().HasForeignKey(x => x.TeamId);
            // A worker is in at most one team at a time: two concurrent joins cannot both succeed.
            e.HasIndex(x => x.WorkerId).IsUnique().HasFilter("\"LeftAt\" IS NULL").HasDatabaseName("ix_vanguard_memberships_one_current_team");
            e.HasIndex(x => new { x.TeamId, x.LeftAt });
            e.HasIndex(x => new { x.WorkerId, x.JoinedAt });
        });
        modelBuilder.Entity<ServiceLog>(e =>
        {
            e.ToTable("service_logs");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Hours).HasPrecision(4, 2);
            e.Property(x => x.NoteCipher).HasMaxLength(1000);
            e.Property(x => x.DeclineReason).HasMaxLength(ServiceLog.ReasonMaxLength);
            e.Property(x => x.Version).IsRowVersion();
            e.HasIndex(x => new { x.WorkerId, x.ServedOn });
            e.HasIndex(x => new { x.CommunityId, x.Status, x.ServedOn });
            e.HasIndex(x => new { x.Status, x.ServedOn });
        });
        modelBuilder.Entity<MeritMonth>(e =>
        {
            e.ToTable("merit_months");
            e.Property(x => x.Id).HasMaxLength(7);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
        });
        modelBuilder.Entity<MeritNomination>(e =>
        {
            e.ToTable("merit_nominations");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Month).HasMaxLength(7);
            e.Property(x => x.Title).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Reason).HasMaxLength(MeritNomination.ReasonMaxLength);
            e.Property(x => x.AverageScore).HasPrecision(5, 2);
            e.Property(x => x.Margin).HasConversion<string>().HasMaxLength(30);
            e.HasOne<MeritMonth>().WithMany().HasForeignKey(x => x.Month);
            // One nomination per worker, title and month: so a worker wins a title at most once a month.
            e.HasIndex(x => new { x.Month, x.Title, x.WorkerId }).IsUnique();
            e.HasIndex(x => new { x.Won, x.Month });
        });
        modelBuilder.Entity<MeritScore>(e =>
        {
            e.ToTable("merit_scores");
            // One score per reviewer per nomination.
            e.HasKey(x => new { x.NominationId, x.ReviewerId });
            e.HasOne<MeritNomination>().WithMany().HasForeignKey(x => x.NominationId);
        });
    }
}
