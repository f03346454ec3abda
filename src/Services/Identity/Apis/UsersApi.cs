using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Identity.Apis;

/// <param name="Role">One of the staff roles: community-staff, station-keeper, org-officer, professional, supervisor, operator.</param>
/// <param name="Communities">Communities a community-staff user serves (community ids), put in the token.</param>
/// <param name="Stations">Stations a station keeper keeps (station ids), put in the token.</param>
public sealed record CreateStaffUserRequest(string? UserName, string? Password, string? Role, IReadOnlyList<Guid>? Communities,
    IReadOnlyList<Guid>? Stations, string? District);

public sealed record StaffUserResponse(Guid Id, string UserName, string Role, IReadOnlyList<Guid> Communities, IReadOnlyList<Guid> Stations,
    string? District, DateTimeOffset CreatedAt)
{
    public static StaffUserResponse From(StaffUser u) => new(u.Id, u.UserName, u.Role, u.Communities, u.Stations, u.District, u.CreatedAt);
}

public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/users").WithTags("Staff users")
            .RequireRoles(PlatformRoles.Operator);
        group.MapPost("/", Create)
            .AcceptsIdempotencyKey()
            .WithName("CreateStaffUser")
            .WithSummary("Create a staff user")
            .WithDescription("Creates a user who signs in with user name and password (grant_type=password, client_id=platform-app). " +
                             "The role must be a staff role; communities, stations and district go into the user's tokens. Operators only.");
        group.MapGet("/", List)
            .WithName("ListStaffUsers")
            .WithSummary("List staff users")
            .WithDescription("Pages through staff users by user name, optionally of one role. Never shows passwords or hashes.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetStaffUser")
            .WithSummary("One staff user");
        return group;
    }

    internal static async Task<Results<Created<StaffUserResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateStaffUserRequest request, IdentityDb db, IPasswordHasher<StaffUser> hasher, TimeProvider clock, CancellationToken ct)
    {
        var created = StaffUser.Create(request.UserName, request.Password, request.Role, request.Communities, request.Stations, request.District,
            clock.GetUtcNow(), hasher.HashPassword);
        if (!created.IsValid)
        {
            return TypedResults.ValidationProblem(created.Errors);
        }
        var user = created.Value!;
        db.StaffUsers.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This user name is taken.", $"A user named '{user.UserName}' already exists.").ToProblem();
        }
        return TypedResults.Created($"/users/{user.Id}", StaffUserResponse.From(user));
    }

    internal static async Task<Results<Ok<Page<StaffUserResponse>>, ValidationProblem>> List(
        IdentityDb db, [AsParameters] PageQuery paging, string? role, CancellationToken ct)
    {
        var query = db.StaffUsers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(role))
        {
            query = query.Where(u => u.Role == role);
        }
        return TypedResults.Ok((await query.OrderBy(u => u.UserName).ToPageAsync(paging, ct)).Map(StaffUserResponse.From));
    }

    internal static async Task<Results<Ok<StaffUserResponse>, NotFound>> Get(Guid id, IdentityDb db, CancellationToken ct)
    {
        var user = await db.StaffUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(StaffUserResponse.From(user));
    }
}
