using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

public enum AlertKind
{
    /// <summary>A case with risk of self-harm was opened: someone must be assigned within the hour.</summary>
    CrisisCase,
}

/// <summary>
/// Something supervisors must act on now. Carries the case id only; supervisors open the case (with a reason) to
/// learn more.
/// </summary>
public sealed class SupervisorAlert
{
    public Guid Id { get; private set; }
    public AlertKind Kind { get; private set; }
    public Guid CaseId { get; private set; }
    public DateTimeOffset RaisedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public Guid? AcknowledgedBy { get; private set; }

    private SupervisorAlert() { }

    public static SupervisorAlert CrisisCase(RightsCase rightsCase, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rightsCase);
        now = now.ToDatabasePrecision();
        return new SupervisorAlert { Id = Guid.CreateVersion7(now), Kind = AlertKind.CrisisCase, CaseId = rightsCase.Id, RaisedAt = now };
    }

    /// <summary>A supervisor takes the alert on; the first one counts.</summary>
    public Refusal? Acknowledge(Guid supervisorId, DateTimeOffset now)
    {
        if (AcknowledgedAt is not null)
        {
            return Refusal.Conflict("This alert was already acknowledged.");
        }
        AcknowledgedAt = now.ToDatabasePrecision();
        AcknowledgedBy = supervisorId;
        return null;
    }
}
