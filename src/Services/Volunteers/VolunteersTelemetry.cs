using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.ServiceDefaults.Http;
using Platform.Volunteers.Application;
using Platform.Volunteers.Domain;
using static Platform.ServiceDefaults.Telemetry.PlatformTelemetry;

namespace Platform.Volunteers;

/// <summary>
/// The volunteers service's meter and traces on the dashboard. Tags are category, district and outcome only: never a
/// worker, a position or a description.
/// </summary>
public sealed class VolunteersTelemetry
{
    public const string Name = "Platform.Volunteers";

    /// <summary>Traces named for the domain operation (<c>hazard.report</c>, <c>hazard.status_change</c>).</summary>
    public static readonly ActivitySource Activities = new(Name);

    private readonly Counter<long> _reported;
    private readonly Counter<long> _meToo;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _imported;

    public VolunteersTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _reported = meter.CreateCounter<long>("platform.hazards.reported", "{report}", "New hazard reports taken in (a \"me too\" on an open report is not counted here).");
        _meToo = meter.CreateCounter<long>("platform.hazards.me_too", "{report}", "Workers who reported a hazard that was already open (joined to it).");
        _closed = meter.CreateCounter<long>("platform.hazards.closed", "{report}", "Hazard reports that reached a final status (outcome: closed or rejected).");
        _imported = meter.CreateCounter<long>("platform.hazards.imported", "{report}", "Historical hazard reports taken over from the earlier ledger (not counted as reported or closed: they happened before).");
    }

    /// <summary>After the intake committed.</summary>
    public void Intake(IntakeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var report = result.Report;
        if (report is null)
        {
            return;
        }
        var category = Tag("category", KebabEnum.Name(report.Category));
        var district = Tag("district", report.District);
        switch (result.Outcome)
        {
            case IntakeOutcome.Created:
                _reported.Add(1, category, district);
                break;
            case IntakeOutcome.MeToo:
                _meToo.Add(1, category, district);
                break;
        }
    }

    /// <summary>After an import committed.</summary>
    public void Imported(IEnumerable<HazardReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        foreach (var group in reports.GroupBy(r => (r.Category, r.District)))
        {
            _imported.Add(group.Count(), Tag("category", KebabEnum.Name(group.Key.Category)), Tag("district", group.Key.District));
        }
    }

    /// <summary>After a status change committed.</summary>
    public void StatusChanged(HazardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Status.IsFinal())
        {
            _closed.Add(1, Tag("category", KebabEnum.Name(report.Category)), Tag("district", report.District),
                Tag("outcome", KebabEnum.Name(report.Status)));
        }
    }
}
