using Platform.Contracts;

namespace Platform.Partners.Domain;

/// <summary>One event type partner agencies may subscribe to: its CloudEvents type, where it comes from, what it means.</summary>
/// <param name="Type">CloudEvents <c>type</c>, e.g. <c>cn.langfang.platform.hazard.reported.v1</c>.</param>
/// <param name="Contract">The integration event it is made from (or the partners service's own aggregate).</param>
/// <param name="Source">The platform service it comes from (CloudEvents <c>source</c> is <c>/platform/&lt;service&gt;</c>).</param>
/// <param name="Description">What it means, for the catalogue.</param>
/// <param name="FilterableByDistrict">Whether a district filter applies to it.</param>
/// <param name="CategoryMeaning">What a category filter matches for it (null when it has none).</param>
public sealed record PublicEventType(string Type, Type Contract, string Source, string Description, bool FilterableByDistrict, string? CategoryMeaning)
{
    internal Func<object, string?> District { get; init; } = _ => null;
    internal Func<object, string?> Category { get; init; } = _ => null;
    internal Func<object, string> Subject { get; init; } = _ => "";
}

/// <summary>
/// The public event catalogue: what partner agencies may receive. Nothing here carries personal data: events about
/// individual workers (registration, report-in, party membership, course completion) are not offered at all, and
/// rights cases only as monthly counts.
/// </summary>
public static class PublicEventCatalogue
{
    public const string TypePrefix = "cn.langfang.platform.";
    public const string RightsCaseCountsType = TypePrefix + "rights.case-counts.monthly.v1";

    public static readonly IReadOnlyList<PublicEventType> All =
    [
        Entry<CommunityRegistered>("community.registered.v1", "organizations", "A village or community was registered.",
            e => e.District, null, null, e => e.CommunityId),
        Entry<CommunityUpdated>("community.updated.v1", "organizations", "A community's name, street or location changed.",
            e => e.District, null, null, e => e.CommunityId),
        Entry<EnterpriseRegistered>("enterprise.registered.v1", "organizations", "A new-business enterprise or depot was registered.",
            e => e.District, e => e.Industry, "industry", e => e.EnterpriseId),
        Entry<PartyOrganizationEstablished>("organization.established.v1", "organizations", "A Party organization was approved and established.",
            null, e => e.Kind, "organization kind", e => e.OrganizationId),
        Entry<InspectionCompleted>("inspection.completed.v1", "organizations", "A supervision inspection of an enterprise was completed.",
            null, null, null, e => e.InspectionId),
        Entry<HazardReported>("hazard.reported.v1", "volunteers", "A street hazard was reported and routed to the responsible department.",
            e => e.District, e => e.Category, "hazard category", e => e.ReportId),
        Entry<HazardStatusChanged>("hazard.status-changed.v1", "volunteers", "A hazard report changed status (acknowledged, resolved, closed...).",
            e => e.District, e => e.Category, "hazard category", e => e.ReportId),
        Entry<StationOpened>("station.opened.v1", "stations", "A red station opened.",
            e => e.District, null, null, e => e.StationId),
        Entry<StationUpdated>("station.updated.v1", "stations", "A red station's details or amenities changed.",
            e => e.District, null, null, e => e.StationId),
        // The event carries only the id: the district comes from the station's earlier events (see StationDistrict).
        Entry<StationClosed>("station.closed.v1", "stations", "A red station closed for good.",
            _ => null, null, null, e => e.StationId),
        Entry<SuppliesRunningLow>("station.supplies-running-low.v1", "stations", "A station's stock of a supply (first-aid kits, water, masks...) is low.",
            e => e.District, e => e.Item, "supply item", e => e.StationId),
        Entry<StudyActivityHeld>("study-activity.held.v1", "training", "An organization held a study activity.",
            null, e => e.Kind, "activity kind", e => e.ActivityId),
        new PublicEventType(RightsCaseCountsType, typeof(RightsCaseMonthlyCounts), "partners",
            "Monthly counts of rights cases opened and resolved, by district and category. Never individual cases.",
            FilterableByDistrict: true, CategoryMeaning: "case category"),
    ];

    private static readonly Dictionary<string, PublicEventType> ByType = All.ToDictionary(t => t.Type, StringComparer.Ordinal);
    private static readonly Dictionary<Type, PublicEventType> ByContract = All.ToDictionary(t => t.Contract);

    public static PublicEventType? Find(string type) => ByType.GetValueOrDefault(type);

    public static PublicEventType For(Type contract) => ByContract[contract];

    /// <summary>The integration events offered to partners (each gets a consumer).</summary>
    public static IEnumerable<Type> ConsumedContracts => All.Where(t => t.Contract != typeof(RightsCaseMonthlyCounts)).Select(t => t.Contract);

    private static PublicEventType Entry<T>(string name, string source, string description,
        Func<T, string?>? district, Func<T, string?>? category, string? categoryMeaning, Func<T, Guid> subject) =>
        new(TypePrefix + name, typeof(T), source, description, district is not null, categoryMeaning)
        {
            District = district is null ? _ => null : e => district((T)e),
            Category = category is null ? _ => null : e => category((T)e),
            Subject = e => subject((T)e).ToString(),
        };
}

/// <summary>The data of a <c>rights.case-counts.monthly.v1</c> event: counts only, never a case.</summary>
/// <param name="Month">The month counted, <c>yyyy-MM</c> in Asia/Shanghai time.</param>
/// <param name="Counts">One row per district and category with any case.</param>
public sealed record RightsCaseMonthlyCounts(string Month, IReadOnlyList<RightsCaseCountRow> Counts);

/// <param name="District">District, or "unknown".</param>
/// <param name="Category">Case category in kebab case.</param>
/// <param name="Opened">Cases opened in the month.</param>
/// <param name="Resolved">Cases resolved in the month.</param>
public sealed record RightsCaseCountRow(string District, string Category, int Opened, int Resolved);
