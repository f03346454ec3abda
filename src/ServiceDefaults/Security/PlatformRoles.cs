namespace Platform.ServiceDefaults.Security;

/// <summary>
/// The kinds of user the platform knows, as they appear in the <c>role</c> claim of an access token. Identity issues
/// them; every service and the gateway authorize by them.
/// </summary>
public static class PlatformRoles
{
    /// <summary>A courier, rider, driver or live-stream seller, signed in with a phone one-time code.</summary>
    public const string Worker = "worker";
    /// <summary>Staff of a community (社区) who confirm report-ins and service hours.</summary>
    public const string CommunityStaff = "community-staff";
    /// <summary>Keeps one or more red stations current.</summary>
    public const string StationKeeper = "station-keeper";
    /// <summary>Organization-department officer who builds and supervises Party organizations.</summary>
    public const string OrgOfficer = "org-officer";
    /// <summary>Legal worker or counsellor handling rights cases.</summary>
    public const string Professional = "professional";
    /// <summary>Supervises professionals and cases; every read of case content is audited.</summary>
    public const string Supervisor = "supervisor";
    /// <summary>A partner agency's system (client credentials).</summary>
    public const string PartnerAgency = "partner-agency";
    /// <summary>Runs the platform: creates staff users and partner clients, loads demo data.</summary>
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All =
        [Worker, CommunityStaff, StationKeeper, OrgOfficer, Professional, Supervisor, PartnerAgency, Operator];

    /// <summary>Roles given to people with a username and password (never to workers or partner systems).</summary>
    public static readonly IReadOnlyList<string> Staff =
        [CommunityStaff, StationKeeper, OrgOfficer, Professional, Supervisor, Operator];
}
