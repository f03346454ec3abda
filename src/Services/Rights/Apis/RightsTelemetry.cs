using System.Diagnostics.Metrics;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;

namespace Platform.Rights.Apis;

/// <summary>
/// Counters operators see in the dashboard. Tags are categories and channels only: never a person, a number or
/// any case content.
/// </summary>
public sealed class RightsTelemetry
{
    public const string MeterName = "Platform.Rights";

    private readonly Counter<long> _opened;
    private readonly Counter<long> _crisisAlerts;

    public RightsTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _opened = meter.CreateCounter<long>("rights.cases.opened", "{case}", "Rights cases opened.");
        _crisisAlerts = meter.CreateCounter<long>("rights.crisis.alerts", "{alert}", "Crisis cases that alerted supervisors.");
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
