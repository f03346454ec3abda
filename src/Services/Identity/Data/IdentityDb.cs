using Microsoft.EntityFrameworkCore;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Identity.Data;

public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : DbContext(options)
{
    public DbSet<StaffUser> StaffUsers => Set<StaffUser>();
    public DbSet<Worker> Workers => Set<Worker>();
    public DbSet<PhoneCode> PhoneCodes => Set<PhoneCode>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Outbox, inbox and idempotency tables, as in every service (identity publishes no event yet).
        modelBuilder.AddPlatformTables();
        // Leases of the jobs that run once an hour for the city, whichever instance takes them (housekeeping).
        modelBuilder.AddJobLeaseTable();
        // OpenIddict's applications (clients), authorizations, scopes and tokens (refresh tokens, redemption state).
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<StaffUser>(e =>
        {
            e.ToTable("staff_users");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.UserName).HasMaxLength(StaffUser.UserNameMaxLength);
            e.HasIndex(x => x.UserName).IsUnique();
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.Property(x => x.Role).HasMaxLength(40);
            e.HasIndex(x => new { x.Role, x.UserName });
            e.Property(x => x.District).HasMaxLength(StaffUser.DistrictMaxLength);
        });
        modelBuilder.Entity<Worker>(e =>
        {
            e.ToTable("workers");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.PhoneIndex).HasMaxLength(64);
            // One worker id per phone number, for ever.
            e.HasIndex(x => x.PhoneIndex).IsUnique();
            e.Property(x => x.Phone).HasMaxLength(200);
        });
        modelBuilder.Entity<PhoneCode>(e =>
        {
            e.ToTable("phone_codes");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.PhoneIndex).HasMaxLength(64);
            e.Property(x => x.CodeHash).HasMaxLength(64);
            e.HasIndex(x => new { x.PhoneIndex, x.IssuedAt });
            e.Property(x => x.Version).IsRowVersion();
        });
        modelBuilder.Entity<SigningKey>(e =>
        {
            e.ToTable("signing_keys");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Use).HasMaxLength(3);
            // One active key per use; a second replica starting at the same moment finds the first one's key.
            e.HasIndex(x => x.Use).IsUnique();
            e.Ignore(x => x.KeyId);
        });
    }
}
