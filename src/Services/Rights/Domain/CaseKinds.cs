namespace Platform.Rights.Domain;

/// <summary>What a rights case is about (kebab case in JSON and events: <c>unpaid-wages</c>).</summary>
public enum CaseCategory
{
    UnpaidWages,
    LabourContract,
    TrafficAccidentOrInjury,
    InsuranceAndSocialSecurity,
    PlatformPenaltyOrAlgorithm,
    PsychologicalSupport,
    Other,
}

/// <summary>Where a case or activity record came from: the platform itself, or the city's earlier ledger (imported history).</summary>
public enum RecordSource
{
    Live,
    Imported,
}

/// <summary>How the request reached the rights team.</summary>
public enum CaseChannel
{
    App,
    Hotline,
    Station,
    ChatGroup,
}

public enum Urgency
{
    Normal,
    High,
    /// <summary>Risk of self-harm or of immediate danger.</summary>
    Crisis,
}

public enum CaseStatus
{
    Submitted,
    Triaged,
    Assigned,
    InProgress,
    Resolved,
    Closed,
    Escalated,
}

/// <summary>What a professional does: community legal worker or psychological counsellor.</summary>
public enum Specialty
{
    Legal,
    Counselling,
}

/// <summary>Where a case goes when the rights team cannot settle it itself.</summary>
public enum EscalationPartner
{
    LabourInspection,
    TradeUnionLegalAid,
}

public static class CaseRules
{
    /// <summary>The promised time to a first response by a professional, counted from submission.</summary>
    public static TimeSpan FirstResponseWindow(Urgency urgency) => urgency switch
    {
        Urgency.Crisis => TimeSpan.FromHours(1),
        Urgency.High => TimeSpan.FromHours(4),
        _ => TimeSpan.FromHours(24),
    };

    /// <summary>Whether a professional of <paramref name="specialty"/> may take a case of <paramref name="category"/>.</summary>
    public static bool Fits(this Specialty specialty, CaseCategory category) => category switch
    {
        CaseCategory.PsychologicalSupport => specialty == Specialty.Counselling,
        CaseCategory.Other => true,
        _ => specialty == Specialty.Legal,
    };

    /// <summary>Statuses in which the case still waits for its first response and so can be overdue.</summary>
    public static bool AwaitsFirstResponse(this CaseStatus status) =>
        status is CaseStatus.Submitted or CaseStatus.Triaged or CaseStatus.Assigned;

    public static bool IsFinished(this CaseStatus status) =>
        status is CaseStatus.Resolved or CaseStatus.Closed or CaseStatus.Escalated;
}
