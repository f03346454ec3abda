namespace Platform.Identity.Domain;

/// <summary>
/// The OAuth scopes the token server knows. Users' tokens carry what the app asked for from <see cref="UserScopes"/>;
/// a partner client gets the scopes an operator granted it from <see cref="ClientScopes"/>.
/// </summary>
public static class PlatformScopes
{
    /// <summary>Lets the app keep the user signed in with a refresh token.</summary>
    public const string OfflineAccess = "offline_access";
    /// <summary>Subscribe to public integration events and manage the deliveries (partners service).</summary>
    public const string Events = "events";
    /// <summary>Read and update the hazard reports routed to the agency (volunteers service).</summary>
    public const string Hazards = "hazards";
    /// <summary>Read aggregate figures (cases, stations, training) without personal data.</summary>
    public const string Statistics = "statistics";

    public static readonly IReadOnlyList<string> ClientScopes = [Events, Hazards, Statistics];
    public static readonly IReadOnlyList<string> UserScopes = [OfflineAccess];
    public static readonly IReadOnlyList<string> All = [OfflineAccess, Events, Hazards, Statistics];
}
