using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;

namespace Platform.Rights;

/// <summary>
/// Counters operators see in the dashboard. Tags are categories and channels only: never a person, a number or
/// any case content.
/// </summary>
public sealed class RightsTelemetry
{
    public const string MeterName = "Platform.Rights";

    /// <summary>Traces named for the domain operation (<c>rights.case.open</c>, <c>rights.hotline.call</c>).</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Counter<long> _opened;
    private readonly Counter<long> _crisisAlerts;
    private readonly Counter<long> _calls;
    private long _open = -1;
    private long _overdue = -1;

    public RightsTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _opened = meter.CreateCounter<long>("platform.rights.cases.opened", "{case}", "Rights cases opened.");
        _crisisAlerts = meter.CreateCounter<long>("platform.rights.crisis.alerts", "{alert}", "Crisis cases that alerted supervisors.");
        _calls = meter.CreateCounter<long>("platform.rights.hotline.calls", "{call}", "Hotline calls logged by call takers (category, crisis).");
        // Read from the database by CaseGauges every few seconds; nothing is reported before the first reading.
        meter.CreateObservableGauge("platform.rights.cases.open", () => Reading(ref _open), "{case}",
            "Cases not yet resolved, closed or escalated.");
        meter.CreateObservableGauge("platform.rights.cases.overdue", () => Reading(ref _overdue), "{case}",
            "Cases still waiting for their first response after the promised time (1 h crisis, 4 h high, 24 h normal).");
    }

    private static IEnumerable<Measurement<long>> Reading(ref long value)
    {
        var read = Volatile.Read(ref value);
        return read < 0 ? [] : [new Measurement<long>(read)];
    }

    /// <summary>The latest counts of open and overdue cases (from CaseGauges).</summary>
    public void ObserveCases(long open, long overdue)
    {
        Volatile.Write(ref _open, open);
        Volatile.Write(ref _overdue, overdue);
    }

    /// <summary>After the call was committed.</summary>
    public void CallLogged(HotlineCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Add(1,
            new KeyValuePair<string, object?>("category", KebabEnum.Name(call.Category)),
            new KeyValuePair<string, object?>("crisis", call.Crisis));
    }

    public void CaseOpened(RightsCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        _opened.Add(1,
            new KeyValuePair<string, object?>("category", KebabEnum.Name(c.Category)),
            new KeyValuePair<string, object?>("channel", KebabEnum.Name(c.Channel)),
            new KeyValuePair<string, object?>("urgency", KebabEnum.Name(c.Urgency)));
    }

    public void CrisisAlert(RightsCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        _crisisAlerts.Add(1, new KeyValuePair<string, object?>("channel", KebabEnum.Name(c.Channel)));
    }
}
