using Microsoft.EntityFrameworkCore;
using Platform.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.Training.Domain;

namespace Platform.Training.Data;

public sealed class TrainingDb(DbContextOptions<TrainingDb> options) : DbContext(options)
{
    // The key the encrypted columns are bound to, from the options (see PersonalDataColumns).
    private readonly PersonalDataProtector _protector = options.PersonalDataProtector();

    /// <summary>Local copy of the communities registered with the organizations service.</summary>
    public DbSet<LocalCommunity> Communities => Set<LocalCommunity>();
    /// <summary>Local copy of the red stations, fed by the stations service.</summary>
    public DbSet<Venue> Venues => Set<Venue>();
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<CourseSession> Sessions => Set<CourseSession>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<Attendance> Attendances => Set<Attendance>();
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<StudyActivity> StudyActivities => Set<StudyActivity>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Programme> Programmes => Set<Programme>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddPlatformTables();
        modelBuilder.AddLocalCommunities();
        modelBuilder.Entity<Venue>(e =>
        {
            e.ToTable("venues");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.District).HasMaxLength(50);
            e.Ignore(x => x.IsOpen);
            e.HasIndex(x => new { x.District, x.Name });
        });
        modelBuilder.Entity<Course>(e =>
        {
            e.ToTable("courses");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Provider).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.ProviderName).HasMaxLength(Course.ProviderNameMaxLength);
            e.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Address).HasMaxLength(Course.AddressMaxLength);
            e.Ignore(x => x.SeatsLeft);
            e.Ignore(x => x.SessionsRequired);
            // The database, not the application, keeps the seat count within capacity.
            e.ToTable(t => t.HasCheckConstraint("ck_courses_seats", "\"SeatsTaken\" >= 0 AND \"SeatsTaken\" <= \"Capacity\""));
            e.HasMany(x => x.Sessions).WithOne().HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Kind, x.FirstSessionAt });
            e.HasIndex(x => x.ProgrammeId);
        });
        modelBuilder.Entity<CourseSession>(e =>
        {
            e.ToTable("course_sessions");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => new { x.CourseId, x.StartsAt });
        });
        modelBuilder.Entity<Enrolment>(e =>
        {
            e.ToTable("enrolments");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.NameOnCertificate).HasConversion(_protector.Converter).HasMaxLength(200);
            e.Ignore(x => x.HoldsSeat);
            e.Ignore(x => x.IsActive);
            e.Ignore(x => x.CanCancel);
            // One live place per worker and course; a cancelled one does not stop enrolling again.
            e.HasIndex(x => new { x.CourseId, x.WorkerId }).IsUnique().HasFilter("\"Status\" <> 'Cancelled'");
            e.HasIndex(x => new { x.CourseId, x.Status, x.EnrolledAt });
            e.HasIndex(x => new { x.WorkerId, x.Status });
        });
        modelBuilder.Entity<Attendance>(e =>
        {
            e.ToTable("attendances");
            e.HasKey(x => new { x.SessionId, x.EnrolmentId });
            e.HasIndex(x => x.EnrolmentId);
        });
        modelBuilder.Entity<Certificate>(e =>
        {
            e.ToTable("certificates");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Code).HasMaxLength(Certificate.CodeLength).IsFixedLength();
            e.Property(x => x.HolderName).HasConversion(_protector.Converter).HasMaxLength(200);
            e.Property(x => x.CourseTitle).HasMaxLength(Course.TitleMaxLength);
            e.Property(x => x.CourseKind).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.ProviderName).HasMaxLength(Course.ProviderNameMaxLength);
            e.Ignore(x => x.DisplayCode);
            e.Ignore(x => x.IssuedOn);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => x.EnrolmentId).IsUnique();
            e.HasIndex(x => x.WorkerId);
        });
        modelBuilder.Entity<Notice>(e =>
        {
            e.ToTable("notices");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Text).HasMaxLength(1000);
            e.HasIndex(x => new { x.WorkerId, x.CreatedAt });
        });
        modelBuilder.Entity<StudyActivity>(e =>
        {
            e.ToTable("study_activities");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Occasion).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.Theme).HasMaxLength(StudyActivity.ThemeMaxLength);
            e.HasIndex(x => new { x.OrganizationId, x.HeldOn });
            e.HasIndex(x => x.HeldOn);
        });
        modelBuilder.Entity<Article>(e =>
        {
            e.ToTable("articles");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Category).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Title).HasMaxLength(Article.TitleMaxLength);
            e.Property(x => x.Body).HasMaxLength(Article.BodyMaxLength);
            e.HasIndex(x => new { x.Category, x.PublishedAt });
        });
        modelBuilder.Entity<Programme>(e =>
        {
            e.ToTable("programmes");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Name).HasMaxLength(Programme.NameMaxLength);
        });
    }
}
