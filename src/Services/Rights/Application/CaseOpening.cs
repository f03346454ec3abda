using Microsoft.EntityFrameworkCore;
using Platform.Rights;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Rights.Application;

/// <summary>
/// What happens whenever a case is opened, whatever the door (app, anonymous form, station, hotline): the event,
/// and for a crisis the supervisor alert, log line and metric, all in the caller's SaveChanges.
/// </summary>
public sealed partial class CaseOpening(RightsDb db, TimeProvider clock, RightsTelemetry telemetry, ILogger<CaseOpening> logger)
{
    /// <summary>The district of the case: from the community when one is given (it must be known here), else as given.</summary>
    public async Task<(string? District, Dictionary<string, string[]>? Errors)> DistrictOfAsync(Guid? communityId, string? district, CancellationToken ct)
    {
        if (communityId is null)
        {
            return (district, null);
        }
        var community = await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == communityId, ct);
        if (community is null)
        {
            return (null, new() { ["communityId"] = ["communityId is not a known community."] });
        }
        if (!string.IsNullOrWhiteSpace(district) && district.Trim() != community.District)
        {
            return (null, new() { ["district"] = [$"district does not match the community's district ({community.District}); give one or the other."] });
        }
        return (community.District, null);
    }

    /// <summary>Adds the case, its event and (crisis) the alert to the unit of work; the caller saves.</summary>
    public void Open(RightsCase rightsCase)
    {
        ArgumentNullException.ThrowIfNull(rightsCase);
        db.Cases.Add(rightsCase);
        db.Publish(rightsCase.ToOpenedEvent(), clock);
        if (rightsCase.NeedsSupervisorAlert)
        {
            db.Alerts.Add(SupervisorAlert.CrisisCase(rightsCase, clock.GetUtcNow()));
        }
    }

    /// <summary>After the commit: count it, and for a crisis tell operators (id and channel only, no person, no content).</summary>
    public void Opened(RightsCase rightsCase)
    {
        ArgumentNullException.ThrowIfNull(rightsCase);
        telemetry.CaseOpened(rightsCase);
        if (rightsCase.NeedsSupervisorAlert)
        {
            telemetry.CrisisAlert(rightsCase);
            LogCrisis(logger, rightsCase.Id, rightsCase.Channel);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crisis case {CaseId} opened through {Channel}: supervisors alerted")]
    private static partial void LogCrisis(ILogger logger, Guid caseId, CaseChannel channel);
}
