using System.Security.Claims;
using Platform.ServiceDefaults.Security;

namespace Platform.Stations.Apis;

/// <summary>Who may manage a station: its keepers (a <c>station</c> claim for it), organization officers and operators.</summary>
public static class StationAccess
{
    public static readonly string[] ManagerRoles = [PlatformRoles.StationKeeper, PlatformRoles.OrgOfficer, PlatformRoles.Operator];
    public static readonly string[] AdministratorRoles = [PlatformRoles.OrgOfficer, PlatformRoles.Operator];

    public static bool CanManage(this ClaimsPrincipal user, Guid stationId) =>
        user.IsInRole(PlatformRoles.OrgOfficer)
        || user.IsInRole(PlatformRoles.Operator)
        || (user.IsInRole(PlatformRoles.StationKeeper) && user.StationIds().Contains(stationId));
}
