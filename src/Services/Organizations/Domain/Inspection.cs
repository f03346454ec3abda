using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>The department that visits.</summary>
public enum Department
{
    MarketRegulation,
    Transport,
    Postal,
    HumanResources,
    Commerce,
    PublicSecurity,
    UrbanManagement,
    OrganizationDepartment,
    Other,
}

/// <summary>The four combined checks of "four at the same time" (四同时).</summary>
public enum CombinedCheck
{
    /// <summary>Check safety and Party work together.</summary>
    SafetyAndPartyWork,
    /// <summary>Guide business and Party work together.</summary>
    BusinessAndPartyGuidance,
    /// <summary>Register and collect Party data together.</summary>
    RegistrationAndPartyData,
    /// <summary>Annual report and Party supervision together.</summary>
    AnnualReportAndPartySupervision,
}

public enum InspectionStatus
{
    Planned,
    Completed,
}

public enum ProblemStatus
{
    Open,
    Resolved,
}

/// <summary>A problem found on a visit, open until resolved with a date and a note.</summary>
public sealed class InspectionProblem
{
    public const int TextMaxLength = 1000;

    public Guid Id { get; private set; }
    public Guid InspectionId { get; private set; }
    public string Description { get; private set; } = "";
    public ProblemStatus Status { get; private set; }
    public DateOnly? ResolvedOn { get; private set; }
    public string? ResolutionNote { get; private set; }

    private InspectionProblem() { }

    internal InspectionProblem(Guid inspectionId, string description, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        InspectionId = inspectionId;
        Description = description;
        Status = ProblemStatus.Open;
    }

    internal Refusal? Resolve(DateOnly? resolvedOn, string? note, DateOnly foundOn, DateOnly today)
    {
        if (Status == ProblemStatus.Resolved)
        {
            return Refusal.Conflict("The problem is already resolved.", $"It was resolved on {ResolvedOn:yyyy-MM-dd}.");
        }
        var errors = new FieldErrors();
        var on = errors.Required("resolvedOn", resolvedOn);
        var text = errors.Text("note", note, TextMaxLength);
        if (resolvedOn < foundOn)
        {
            errors.Add("resolvedOn", $"resolvedOn cannot be before the problem was found ({foundOn:yyyy-MM-dd}).");
        }
        if (resolvedOn > today)
        {
            errors.Add("resolvedOn", "resolvedOn cannot be in the future.");
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        Status = ProblemStatus.Resolved;
        ResolvedOn = on;
        ResolutionNote = text;
        return null;
    }
}

/// <summary>A "four at the same time" visit by a department to an enterprise: planned, then completed with its findings.</summary>
public sealed class Inspection
{
    public const int MaxProblems = 50;

    private readonly List<InspectionProblem> _problems = [];

    public Guid Id { get; private set; }
    public Guid EnterpriseId { get; private set; }
    public Department Department { get; private set; }
    public DateOnly PlannedOn { get; private set; }
    public InspectionStatus Status { get; private set; }
    public DateOnly? CompletedOn { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public bool SafetyAndPartyWork { get; private set; }
    public bool BusinessAndPartyGuidance { get; private set; }
    public bool RegistrationAndPartyData { get; private set; }
    public bool AnnualReportAndPartySupervision { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    public IReadOnlyList<InspectionProblem> Problems => _problems;

    public IReadOnlyList<CombinedCheck> ChecksDone =>
    [
        .. SafetyAndPartyWork ? [CombinedCheck.SafetyAndPartyWork] : Array.Empty<CombinedCheck>(),
        .. BusinessAndPartyGuidance ? [CombinedCheck.BusinessAndPartyGuidance] : Array.Empty<CombinedCheck>(),
        .. RegistrationAndPartyData ? [CombinedCheck.RegistrationAndPartyData] : Array.Empty<CombinedCheck>(),
        .. AnnualReportAndPartySupervision ? [CombinedCheck.AnnualReportAndPartySupervision] : Array.Empty<CombinedCheck>(),
    ];

    /// <summary>All four checks were done together on the visit.</summary>
    public bool AllFourDone => SafetyAndPartyWork && BusinessAndPartyGuidance && RegistrationAndPartyData && AnnualReportAndPartySupervision;

    private Inspection() { }

    public static Validated<Inspection> Plan(Guid? enterpriseId, Department? department, DateOnly? plannedOn, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var enterprise = errors.Required("enterpriseId", enterpriseId);
        var by = errors.Required("department", department);
        var on = errors.Required("plannedOn", plannedOn);
        if (enterpriseId == Guid.Empty)
        {
            errors.Add("enterpriseId", "enterpriseId cannot be an empty id.");
        }
        return errors.Any
            ? Validated<Inspection>.Invalid(errors)
            : Validated<Inspection>.Ok(new Inspection
            {
                Id = Guid.CreateVersion7(now),
                EnterpriseId = enterprise,
                Department = by,
                PlannedOn = on,
                Status = InspectionStatus.Planned,
                RecordedAt = now,
            });
    }

    /// <summary>Completes the visit: which of the four checks were done (at least one) and the problems found.</summary>
    public Refusal? Complete(DateOnly? completedOn, IReadOnlyCollection<CombinedCheck>? checks, IReadOnlyList<string?>? problems, DateOnly today, DateTimeOffset now)
    {
        if (Status == InspectionStatus.Completed)
        {
            return Refusal.Conflict("The inspection is already completed.", $"It was completed on {CompletedOn:yyyy-MM-dd}.");
        }
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var on = errors.Required("completedOn", completedOn);
        if (completedOn > today)
        {
            errors.Add("completedOn", "completedOn cannot be in the future.");
        }
        if (checks is null || checks.Count == 0)
        {
            errors.Add("checks", $"checks must name at least one of {KebabEnum.Names<CombinedCheck>()}.");
        }
        var found = problems ?? [];
        if (found.Count > MaxProblems)
        {
            errors.Add("problems", $"At most {MaxProblems} problems per inspection.");
        }
        var descriptions = new List<string>();
        for (var i = 0; i < found.Count && i < MaxProblems; i++)
        {
            descriptions.Add(errors.Text($"problems[{i}]", found[i], InspectionProblem.TextMaxLength));
        }
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        var done = checks!.ToHashSet();
        SafetyAndPartyWork = done.Contains(CombinedCheck.SafetyAndPartyWork);
        BusinessAndPartyGuidance = done.Contains(CombinedCheck.BusinessAndPartyGuidance);
        RegistrationAndPartyData = done.Contains(CombinedCheck.RegistrationAndPartyData);
        AnnualReportAndPartySupervision = done.Contains(CombinedCheck.AnnualReportAndPartySupervision);
        Status = InspectionStatus.Completed;
        CompletedOn = on;
        CompletedAt = now;
        _problems.AddRange(descriptions.Select(d => new InspectionProblem(Id, d, now)));
        return null;
    }

    public Refusal? ResolveProblem(Guid problemId, DateOnly? resolvedOn, string? note, DateOnly today)
    {
        var problem = _problems.FirstOrDefault(p => p.Id == problemId);
        return problem is null
            ? Refusal.Conflict("No such problem on this inspection.", $"Inspection {Id} has no problem {problemId}.")
            : problem.Resolve(resolvedOn, note, CompletedOn ?? PlannedOn, today);
    }

    public InspectionCompleted ToCompletedEvent() => new(Id, EnterpriseId, _problems.Count, CompletedAt ?? RecordedAt);
}
