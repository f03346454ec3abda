using System.Security.Claims;
using Platform.ServiceDefaults.Security;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Apis;

/// <summary>How far a caller reaches, from the roles and claims of their token.</summary>
internal static class Access
{
    /// <summary>Officers and operators see everything; community staff only their communities.</summary>
    public static bool SeesAllCommunities(ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.OrgOfficer) || user.IsInRole(PlatformRoles.Operator);

    public static bool IsCommunityStaffOnly(ClaimsPrincipal user) =>
        !SeesAllCommunities(user) && user.IsInRole(PlatformRoles.CommunityStaff);

    public static bool IsStaff(ClaimsPrincipal user) =>
        SeesAllCommunities(user) || user.IsInRole(PlatformRoles.CommunityStaff);

    public static bool MayActFor(ClaimsPrincipal user, Guid communityId) =>
        user.IsInRole(PlatformRoles.Operator) || (user.IsInRole(PlatformRoles.CommunityStaff) && user.CommunityIds().Contains(communityId));

    /// <summary>
    /// The department a partner agency's system acts for: its client id (the client identity creates for the
    /// department, e.g. <c>urban-management</c>), or the subject when the token has no client_id claim.
    /// </summary>
    public static string? Department(ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.PartnerAgency)
            ? user.FindFirst(PlatformClaims.ClientId)?.Value ?? user.FindFirst(PlatformClaims.Subject)?.Value
            : null;

    /// <summary>Who is changing a hazard report's status, or null for a caller who may not.</summary>
    public static HazardActor? HazardActor(ClaimsPrincipal user)
    {
        if (user.IsInRole(PlatformRoles.Operator))
        {
            return Domain.HazardActor.Operator;
        }
        if (user.IsInRole(PlatformRoles.CommunityStaff))
        {
            return Domain.HazardActor.Staff(user.CommunityIds());
        }
        return Department(user) is { } department ? Domain.HazardActor.ForDepartment(department) : null;
    }
}
