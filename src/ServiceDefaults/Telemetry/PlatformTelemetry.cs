namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// Naming of the platform's own meters and activity sources: one of each per service, named
/// <c>Platform.&lt;Service&gt;</c>, so the service defaults export them all with one wildcard.
/// Instruments are named <c>platform.&lt;domain&gt;.&lt;what&gt;</c> with UCUM units (OpenTelemetry conventions).
/// Tags are categories, districts and outcomes: never a person, a phone number or free text.
/// </summary>
public static class PlatformTelemetry
{
    public const string Prefix = "Platform.";
    public const string Wildcard = "Platform.*";

    /// <summary>A tag list entry (shorter at the call sites).</summary>
    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
