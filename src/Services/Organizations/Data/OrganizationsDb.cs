using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Organizations.Data;

public sealed class OrganizationsDb(DbContextOptions<OrganizationsDb> options) : DbContext(options)
{
    public DbSet<Community> Communities => Set<Community>();
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();
    public DbSet<PartyOrganization> Organizations => Set<PartyOrganization>();
    public DbSet<CoveredEnterprise> CoveredEnterprises => Set<CoveredEnterprise>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberPlacement> MemberPlacements => Set<MemberPlacement>();
    public DbSet<SixHavesCheck> SixHaves => Set<SixHavesCheck>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Inspection> Inspections => Set<Inspection>();
    public DbSet<InspectionProblem> InspectionProblems => Set<InspectionProblem>();
    public DbSet<SpotCheck> SpotChecks => Set<SpotCheck>();
    public DbSet<JointBuildingAgreement> Agreements => Set<JointBuildingAgreement>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.Entity<Community>(e =>
        {
            e.ToTable("communities");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Community.NameMaxLength);
            e.Property(x => x.District).HasMaxLength(Community.PlaceMaxLength);
            e.Property(x => x.Street).HasMaxLength(Community.PlaceMaxLength);
            // The same name twice in one street is the same community registered again.
            e.HasIndex(x => new { x.District, x.Street, x.Name }).IsUnique();
        });
        modelBuilder.Entity<Enterprise>(e =>
        {
            e.ToTable("enterprises");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Enterprise.NameMaxLength);
            e.Property(x => x.CreditCode).HasMaxLength(18).IsFixedLength();
            e.Property(x => x.Industry).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.District).HasMaxLength(Community.PlaceMaxLength);
            e.HasIndex(x => x.CreditCode).IsUnique();
            e.HasIndex(x => new { x.Industry, x.Name });
            e.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<PartyOrganization>(e =>
        {
            e.ToTable("organizations");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(PartyOrganization.NameMaxLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ApprovingBody).HasMaxLength(PartyOrganization.ApprovingBodyMaxLength);
            e.Property(x => x.RejectionReason).HasMaxLength(PartyOrganization.ReasonMaxLength);
            e.HasOne<PartyOrganization>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Community>().WithMany().HasForeignKey(x => x.LocalCommunityId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Coverage).WithOne().HasForeignKey(x => x.OrganizationId);
            e.Navigation(x => x.Coverage).HasField("_coverage");
            e.Ignore(x => x.EnterpriseIds);
            e.Ignore(x => x.IsEstablished);
            e.HasIndex(x => x.ParentId);
            e.HasIndex(x => new { x.Status, x.Kind });
            // One local (属地) organization per community takes its fallback placements.
            e.HasIndex(x => x.LocalCommunityId).IsUnique().HasFilter("\"LocalCommunityId\" IS NOT NULL AND \"Status\" <> 'Rejected'");
        });
        modelBuilder.Entity<CoveredEnterprise>(e =>
        {
            e.ToTable("organization_enterprises");
            e.HasKey(x => new { x.OrganizationId, x.EnterpriseId });
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            // An enterprise is covered by (or asked for by) one organization at a time.
            e.HasIndex(x => x.EnterpriseId).IsUnique().HasFilter("NOT \"Released\"");
        });
        modelBuilder.Entity<WorkerRecord>(e =>
        {
            e.ToTable("workers");
            e.HasKey(x => x.WorkerId);
            e.Property(x => x.WorkerId).ValueGeneratedNever();
            e.Property(x => x.Version).IsRowVersion();
            e.HasIndex(x => x.EnterpriseId);
            e.HasIndex(x => x.CommunityId);
        });
        modelBuilder.Entity<Member>(e =>
        {
            e.ToTable("members");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Reason).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Version).IsRowVersion();
            e.HasIndex(x => x.WorkerId).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.Fallback });
            e.HasIndex(x => x.JoinedMonthDay);
            e.HasOne<PartyOrganization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Placements).WithOne().HasForeignKey(x => x.MemberId);
            e.Navigation(x => x.Placements).HasField("_placements");
        });
        modelBuilder.Entity<MemberPlacement>(e =>
        {
            e.ToTable("member_placements");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Reason).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Note).HasMaxLength(MemberPlacement.NoteMaxLength);
            e.HasIndex(x => new { x.MemberId, x.PlacedAt });
        });
        modelBuilder.Entity<SixHavesCheck>(e =>
        {
            e.ToTable("six_haves");
            e.HasKey(x => new { x.OrganizationId, x.Item });
            e.Property(x => x.Item).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Evidence).HasMaxLength(SixHavesCheck.EvidenceMaxLength);
            e.HasOne<PartyOrganization>().WithMany().HasForeignKey(x => x.OrganizationId);
        });
        modelBuilder.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(x => new { x.OrganizationId, x.Item });
            e.Property(x => x.Item).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Note).HasMaxLength(Delivery.NoteMaxLength);
            e.HasOne<PartyOrganization>().WithMany().HasForeignKey(x => x.OrganizationId);
        });
        modelBuilder.Entity<Inspection>(e =>
        {
            e.ToTable("inspections");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Department).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Ignore(x => x.ChecksDone);
            e.Ignore(x => x.AllFourDone);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Problems).WithOne().HasForeignKey(x => x.InspectionId);
            e.Navigation(x => x.Problems).HasField("_problems");
            e.HasIndex(x => new { x.EnterpriseId, x.PlannedOn });
            e.HasIndex(x => new { x.Status, x.PlannedOn });
        });
        modelBuilder.Entity<InspectionProblem>(e =>
        {
            e.ToTable("inspection_problems");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Description).HasMaxLength(InspectionProblem.TextMaxLength);
            e.Property(x => x.ResolutionNote).HasMaxLength(InspectionProblem.TextMaxLength);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<SpotCheck>(e =>
        {
            e.ToTable("spot_checks");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Seed).HasMaxLength(SpotCheck.SeedMaxLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.DrawnBy).HasMaxLength(200);
        });
        modelBuilder.Entity<JointBuildingAgreement>(e =>
        {
            e.ToTable("joint_building_agreements");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Terms).HasMaxLength(JointBuildingAgreement.TermsMaxLength);
            e.HasOne<Enterprise>().WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Community>().WithMany().HasForeignKey(x => x.CommunityId).OnDelete(DeleteBehavior.Restrict);
            // The same agreement recorded twice is one agreement.
            e.HasIndex(x => new { x.EnterpriseId, x.CommunityId, x.SignedOn }).IsUnique();
            e.HasIndex(x => x.CommunityId);
        });
    }
}
