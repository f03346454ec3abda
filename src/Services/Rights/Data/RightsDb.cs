using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Platform.Communities;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;

namespace Platform.Rights.Data;

/// <summary>
/// The rights service's database. Confidential text (descriptions, notes, resolutions, escalation reasons, callback
/// numbers) and professionals' names pass through <see cref="PersonalDataProtector"/> on the way in and out: the
/// database holds only ciphertext.
/// </summary>
public sealed class RightsDb(DbContextOptions<RightsDb> options) : DbContext(options)
{
    /// <summary>The key the encrypted columns are bound to, from the options (see PersonalDataColumns).</summary>
    internal PersonalDataProtector Protector { get; } = options.PersonalDataProtector();

    /// <summary>Local copy of the communities registered with the organizations service.</summary>
    public DbSet<LocalCommunity> Communities => Set<LocalCommunity>();
    public DbSet<RightsCase> Cases => Set<RightsCase>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<Professional> Professionals => Set<Professional>();
    public DbSet<ContentRead> ContentReads => Set<ContentRead>();
    public DbSet<SupervisorAlert> Alerts => Set<SupervisorAlert>();
    public DbSet<HotlineCall> HotlineCalls => Set<HotlineCall>();
    public DbSet<JointActivity> Activities => Set<JointActivity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.AddLocalCommunities();
        var encrypted = Protector.Converter;

        modelBuilder.Entity<RightsCase>(e =>
        {
            e.ToTable("cases");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Urgency).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.EscalatedTo).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.District).HasMaxLength(RightsCase.DistrictMaxLength);
            e.Property(x => x.Description).HasConversion(encrypted);
            e.Property(x => x.CallbackNumber!).HasConversion(encrypted);
            e.Property(x => x.Resolution!).HasConversion(encrypted);
            e.Property(x => x.EscalationReason!).HasConversion(encrypted);
            e.Property(x => x.CallbackNumberIndex).HasMaxLength(44);
            e.Property(x => x.Version).IsRowVersion();
            e.HasMany(x => x.Notes).WithOne().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Notes).HasField("_notes").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasIndex(x => new { x.RequesterWorkerId, x.SubmittedAt });
            e.HasIndex(x => new { x.AssignedProfessionalId, x.SubmittedAt });
            e.HasIndex(x => new { x.Status, x.FirstResponseDueAt });
            e.HasIndex(x => x.SubmittedAt);
            e.HasIndex(x => x.CallbackNumberIndex);
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(20).HasDefaultValue(RecordSource.Live);
            e.Property(x => x.ExternalId).HasMaxLength(CaseImport.ExternalIdMaxLength);
            // A ledger case is imported once: re-sending a batch finds it by this id.
            e.HasIndex(x => x.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        });
        modelBuilder.Entity<CaseNote>(e =>
        {
            e.ToTable("case_notes");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Author).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Text).HasConversion(encrypted);
            e.HasIndex(x => new { x.CaseId, x.WrittenAt });
        });
        modelBuilder.Entity<Professional>(e =>
        {
            e.ToTable("professionals");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasConversion(encrypted);
            e.Property(x => x.Specialty).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.District).HasMaxLength(RightsCase.DistrictMaxLength);
            e.HasIndex(x => new { x.Specialty, x.Active });
        });
        modelBuilder.Entity<ContentRead>(e =>
        {
            e.ToTable("content_reads");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Reason).HasMaxLength(RightsCase.ReasonMaxLength);
            e.HasIndex(x => new { x.CaseId, x.ReadAt });
            e.HasIndex(x => new { x.SupervisorId, x.ReadAt });
            e.HasIndex(x => x.ReadAt);
        });
        modelBuilder.Entity<SupervisorAlert>(e =>
        {
            e.ToTable("supervisor_alerts");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.HasIndex(x => new { x.AcknowledgedAt, x.RaisedAt });
        });
        modelBuilder.Entity<HotlineCall>(e =>
        {
            e.ToTable("hotline_calls");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(30);
            e.HasIndex(x => new { x.LocalDate, x.Category });
            e.HasIndex(x => x.StartedAt);
        });
        modelBuilder.Entity<JointActivity>(e =>
        {
            e.ToTable("joint_activities");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Title).HasMaxLength(JointActivity.TitleMaxLength);
            e.Property(x => x.Location).HasMaxLength(JointActivity.LocationMaxLength);
            e.Property(x => x.District).HasMaxLength(RightsCase.DistrictMaxLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.PrimitiveCollection(x => x.Partners).ElementType(t => t.HasConversion<string>());
            e.HasIndex(x => new { x.Status, x.ScheduledAt });
            e.Property(x => x.Source).HasConversion<string>().HasMaxLength(20).HasDefaultValue(RecordSource.Live);
            e.Property(x => x.ExternalId).HasMaxLength(CaseImport.ExternalIdMaxLength);
            e.HasIndex(x => x.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        });
    }
}

/// <summary>For <c>dotnet ef migrations</c>: a throwaway key (the schema does not depend on it).</summary>
internal sealed class RightsDbDesignTimeFactory : IDesignTimeDbContextFactory<RightsDb>
{
    public RightsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RightsDb>().UseNpgsql().UsePersonalDataProtector(new PersonalDataProtector(new byte[32])).Options);
}
