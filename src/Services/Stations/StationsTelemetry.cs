using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.ServiceDefaults.Http;
using Platform.Stations.Domain;
using static Platform.ServiceDefaults.Telemetry.PlatformTelemetry;

namespace Platform.Stations;

/// <summary>The stations service's meter and traces on the dashboard. Tags: district and host type, never the worker.</summary>
public sealed class StationsTelemetry
{
    public const string Name = "Platform.Stations";

    /// <summary>Traces named for the domain operation (<c>station.check_in</c>).</summary>
    public static readonly ActivitySource Activities = new(Name);

    private readonly Counter<long> _checkIns;

    public StationsTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _checkIns = meter.CreateCounter<long>("platform.stations.check_ins", "{check-in}",
            "Visits recorded by scanning a station's code (a repeated scan within 30 minutes is the same visit and not counted).");
    }

    /// <summary>After the check-in committed.</summary>
    public void CheckedIn(Station station)
    {
        ArgumentNullException.ThrowIfNull(station);
        _checkIns.Add(1, Tag("district", station.District), Tag("host_type", KebabEnum.Name(station.HostType)));
    }
}
