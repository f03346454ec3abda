using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>Kinds of Party organization, highest first.</summary>
public enum OrganizationKind
{
    IndustryCommittee,
    EnterpriseCommittee,
    GeneralBranch,
    Branch,
}

/// <summary>Founding workflow: applied, then approved (established) or rejected.</summary>
public enum FoundingStatus
{
    Applied,
    Approved,
    Rejected,
}

/// <summary>An enterprise (depot) an organization covers. Released when the application is rejected, so that another may cover it.</summary>
public sealed class CoveredEnterprise
{
    public Guid OrganizationId { get; private set; }
    public Guid EnterpriseId { get; private set; }
    public bool Released { get; private set; }

    private CoveredEnterprise() { }

    internal CoveredEnterprise(Guid organizationId, Guid enterpriseId)
    {
        OrganizationId = organizationId;
        EnterpriseId = enterpriseId;
    }

    internal void Release() => Released = true;
}

/// <summary>
/// A Party organization in new-business enterprises: a node of the tree (industry committee, enterprise committee,
/// general branch, branch), the enterprises it covers, and its founding workflow.
/// </summary>
public sealed class PartyOrganization
{
    public const int NameMaxLength = 200;
    public const int ApprovingBodyMaxLength = 200;
    public const int ReasonMaxLength = 1000;
    public const int MaxEnterprises = 500;

    private readonly List<CoveredEnterprise> _coverage = [];

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public OrganizationKind Kind { get; private set; }
    public Guid? ParentId { get; private set; }
    /// <summary>
    /// The community whose local (属地) Party organization this is: the township/street committee that takes the
    /// enterprises and members no organization covers there (fallback placement).
    /// </summary>
    public Guid? LocalCommunityId { get; private set; }
    public FoundingStatus Status { get; private set; }
    public DateOnly AppliedOn { get; private set; }
    public DateOnly? ApprovedOn { get; private set; }
    public string? ApprovingBody { get; private set; }
    public DateOnly? RejectedOn { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    public IReadOnlyList<CoveredEnterprise> Coverage => _coverage;

    /// <summary>The enterprises it covers (or, while applied, asks to cover).</summary>
    public IEnumerable<Guid> EnterpriseIds => _coverage.Where(c => !c.Released).Select(c => c.EnterpriseId);

    public bool IsEstablished => Status == FoundingStatus.Approved;

    private PartyOrganization() { }

    /// <summary>
    /// Records an application to found an organization. The parent, when given, must already be known (the caller
    /// loads it); the tree rules are checked here.
    /// </summary>
    public static Validated<PartyOrganization> ApplyToFound(string? name, OrganizationKind? kind, DateOnly? appliedOn, IReadOnlyCollection<Guid>? enterpriseIds,
        Guid? localCommunityId, PartyOrganization? parent, DateOnly today, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        var validKind = errors.Required("kind", kind);
        var applied = errors.Required("appliedOn", appliedOn);
        if (appliedOn > today)
        {
            errors.Add("appliedOn", "appliedOn cannot be in the future.");
        }
        var enterprises = (enterpriseIds ?? []).Distinct().ToList();
        if (enterprises.Contains(Guid.Empty))
        {
            errors.Add("enterpriseIds", "enterpriseIds cannot contain an empty id.");
        }
        if (enterprises.Count > MaxEnterprises)
        {
            errors.Add("enterpriseIds", $"An organization covers at most {MaxEnterprises} enterprises.");
        }
        if (localCommunityId == Guid.Empty)
        {
            errors.Add("localCommunityId", "localCommunityId cannot be an empty id.");
        }
        if (kind is not null && parent is not null && ParentRuleBroken(parent, kind.Value) is { } broken)
        {
            errors.Add("parentId", broken);
        }
        if (errors.Any)
        {
            return Validated<PartyOrganization>.Invalid(errors);
        }
        var organization = new PartyOrganization
        {
            Id = Guid.CreateVersion7(now),
            Name = validName,
            Kind = validKind,
            ParentId = parent?.Id,
            LocalCommunityId = localCommunityId,
            Status = FoundingStatus.Applied,
            AppliedOn = applied,
            RecordedAt = now,
        };
        organization._coverage.AddRange(enterprises.Select(e => new CoveredEnterprise(organization.Id, e)));
        return Validated<PartyOrganization>.Ok(organization);
    }

    /// <summary>Approves the application: the organization is established on <paramref name="approvedOn"/> by <paramref name="approvingBody"/>.</summary>
    public Refusal? Approve(DateOnly? approvedOn, string? approvingBody, DateOnly today)
    {
        if (Status != FoundingStatus.Applied)
        {
            return Refusal.Conflict("Only an application can be approved.", $"This organization is {KebabEnum.Name(Status)}.");
        }
        var errors = new FieldErrors();
        var on = errors.Required("approvedOn", approvedOn);
        var body = errors.Text("approvingBody", approvingBody, ApprovingBodyMaxLength);
        if (approvedOn is not null && approvedOn < AppliedOn)
        {
            errors.Add("approvedOn", $"approvedOn cannot be before the application ({AppliedOn:yyyy-MM-dd}).");
        }
        if (approvedOn > today)
        {
            errors.Add("approvedOn", "approvedOn cannot be in the future.");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        Status = FoundingStatus.Approved;
        ApprovedOn = on;
        ApprovingBody = body;
        return null;
    }

    /// <summary>Rejects the application with a reason; the enterprises it asked to cover are free again.</summary>
    public Refusal? Reject(DateOnly? rejectedOn, string? reason, DateOnly today)
    {
        if (Status != FoundingStatus.Applied)
        {
            return Refusal.Conflict("Only an application can be rejected.", $"This organization is {KebabEnum.Name(Status)}.");
        }
        var errors = new FieldErrors();
        var on = errors.Required("rejectedOn", rejectedOn);
        var why = errors.Text("reason", reason, ReasonMaxLength);
        if (rejectedOn is not null && rejectedOn < AppliedOn)
        {
            errors.Add("rejectedOn", $"rejectedOn cannot be before the application ({AppliedOn:yyyy-MM-dd}).");
        }
        if (rejectedOn > today)
        {
            errors.Add("rejectedOn", "rejectedOn cannot be in the future.");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        Status = FoundingStatus.Rejected;
        RejectedOn = on;
        RejectionReason = why;
        foreach (var covered in _coverage)
        {
            covered.Release();
        }
        return null;
    }

    /// <summary>Adds an enterprise (depot) to those the organization covers.</summary>
    public Refusal? Cover(Guid enterpriseId)
    {
        if (Status == FoundingStatus.Rejected)
        {
            return Refusal.Conflict("A rejected organization covers nothing.", "Apply again to found an organization for this enterprise.");
        }
        if (EnterpriseIds.Contains(enterpriseId))
        {
            return Refusal.Conflict("The organization already covers this enterprise.", $"Enterprise {enterpriseId} is already covered by {Name}.");
        }
        if (_coverage.Count(c => !c.Released) >= MaxEnterprises)
        {
            return Refusal.Rule("Too many enterprises.", $"An organization covers at most {MaxEnterprises} enterprises.");
        }
        _coverage.Add(new CoveredEnterprise(Id, enterpriseId));
        return null;
    }

    /// <summary>
    /// Moves the organization under <paramref name="newParent"/> (null: to the top). <paramref name="ancestryOfNewParent"/>
    /// lists the new parent's ancestors (parent, grandparent, ...): a move that would put the organization under itself
    /// or under one of its own descendants would make a cycle and is refused.
    /// </summary>
    public Refusal? MoveUnder(PartyOrganization? newParent, IReadOnlyList<Guid> ancestryOfNewParent)
    {
        if (Status == FoundingStatus.Rejected)
        {
            return Refusal.Conflict("A rejected organization is not in the tree.", "Only applied or established organizations can be moved.");
        }
        if (newParent is null)
        {
            ParentId = null;
            return null;
        }
        if (newParent.Id == Id)
        {
            return Refusal.Rule("An organization cannot be its own parent.", $"{Name} cannot report to itself.");
        }
        if (ancestryOfNewParent.Contains(Id))
        {
            return Refusal.Rule("The move would make a cycle in the organization tree.",
                $"{newParent.Name} is below {Name} in the tree, so {Name} cannot be placed under it.");
        }
        if (ParentRuleBroken(newParent, Kind) is { } broken)
        {
            return Refusal.Rule("This parent cannot hold this kind of organization.", broken);
        }
        ParentId = newParent.Id;
        return null;
    }

    /// <summary>
    /// A branch is the lowest level and holds nothing; otherwise a parent ranks above its child, except that committees
    /// of the same kind nest (a county industry committee under the city's, a subsidiary's committee under the group's).
    /// </summary>
    public static string? ParentRuleBroken(PartyOrganization parent, OrganizationKind child)
    {
        if (parent.Status == FoundingStatus.Rejected)
        {
            return $"{parent.Name} was rejected and cannot have organizations under it.";
        }
        if (parent.Kind == OrganizationKind.Branch)
        {
            return "A branch is the lowest level: no organization can be placed under it.";
        }
        var committeeUnderSameKind = parent.Kind == child && child is OrganizationKind.IndustryCommittee or OrganizationKind.EnterpriseCommittee;
        if ((int)parent.Kind >= (int)child && !committeeUnderSameKind)
        {
            return $"A {KebabEnum.Name(child)} cannot be placed under a {KebabEnum.Name(parent.Kind)}.";
        }
        return null;
    }

    public PartyOrganizationEstablished ToEstablishedEvent() =>
        new(Id, KebabEnum.Name(Kind), ParentId, [.. EnterpriseIds], LocalCommunityId, ApprovedOn ?? AppliedOn);
}
