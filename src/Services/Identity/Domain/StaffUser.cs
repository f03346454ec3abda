using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Identity.Domain;

/// <summary>
/// A person who signs in with a username and password: community staff, station keepers, officers, professionals,
/// supervisors and operators. The role and the communities, stations and district it covers go into the access
/// token; only an operator creates such a user.
/// </summary>
public sealed class StaffUser
{
    public const int UserNameMaxLength = 64;
    public const int PasswordMinLength = 12;
    public const int PasswordMaxLength = 128;
    public const int DistrictMaxLength = 50;
    public const int MaxScopeIds = 50;
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public Guid Id { get; private set; }
    /// <summary>Lower case; unique.</summary>
    public string UserName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public string Role { get; private set; } = "";
    public List<Guid> Communities { get; private set; } = [];
    public List<Guid> Stations { get; private set; } = [];
    public string? District { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int FailedSignIns { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    private StaffUser() { }

    /// <summary>
    /// Creates a staff user. The role must be a staff role (never worker or partner-agency); a user name is letters,
    /// digits, '.', '-' or '_'; the password at least <see cref="PasswordMinLength"/> characters.
    /// </summary>
    /// <param name="hashPassword">The standard password hasher (PBKDF2): the password itself is never kept.</param>
    public static Validated<StaffUser> Create(string? userName, string? password, string? role, IReadOnlyList<Guid>? communities,
        IReadOnlyList<Guid>? stations, string? district, DateTimeOffset now, Func<StaffUser, string, string> hashPassword)
    {
        ArgumentNullException.ThrowIfNull(hashPassword);
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var name = errors.Text("userName", userName, UserNameMaxLength).ToLowerInvariant();
        if (name.Length > 0 && !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            errors.Add("userName", "userName may contain only letters, digits, '.', '-' and '_'.");
        }
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "password is required.");
        }
        else if (password.Length is < PasswordMinLength or > PasswordMaxLength)
        {
            errors.Add("password", $"password must be {PasswordMinLength} to {PasswordMaxLength} characters.");
        }
        var checkedRole = errors.Text("role", role, 40);
        if (checkedRole.Length > 0 && !PlatformRoles.Staff.Contains(checkedRole))
        {
            errors.Add("role", $"role must be one of: {string.Join(", ", PlatformRoles.Staff)}.");
        }
        var user = new StaffUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = name,
            Role = checkedRole,
            Communities = Ids(errors, "communities", communities),
            Stations = Ids(errors, "stations", stations),
            District = errors.OptionalText("district", district, DistrictMaxLength),
            CreatedAt = now,
        };
        if (errors.Any)
        {
            return Validated<StaffUser>.Invalid(errors);
        }
        user.PasswordHash = hashPassword(user, password!);
        return Validated<StaffUser>.Ok(user);
    }

    /// <summary>Whether the user is locked out after too many wrong passwords.</summary>
    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && now < until;

    /// <summary>Records a password check: too many wrong ones in a row lock the account for a while.</summary>
    public void RecordSignIn(bool passwordMatched, DateTimeOffset now)
    {
        if (passwordMatched)
        {
            FailedSignIns = 0;
            LockedUntil = null;
            return;
        }
        FailedSignIns++;
        if (FailedSignIns >= MaxFailedSignIns)
        {
            FailedSignIns = 0;
            LockedUntil = (now + LockoutDuration).ToDatabasePrecision();
        }
    }

    /// <summary>A newer hash of the same password (the hasher asked for a rehash after an algorithm upgrade).</summary>
    public void Rehash(string passwordHash) => PasswordHash = passwordHash;

    private static List<Guid> Ids(FieldErrors errors, string field, IReadOnlyList<Guid>? ids)
    {
        if (ids is null)
        {
            return [];
        }
        if (ids.Count > MaxScopeIds)
        {
            errors.Add(field, $"{field} may name at most {MaxScopeIds} ids.");
        }
        if (ids.Any(id => id == Guid.Empty))
        {
            errors.Add(field, $"{field} must not contain the empty id.");
        }
        return [.. ids.Distinct()];
    }
}
