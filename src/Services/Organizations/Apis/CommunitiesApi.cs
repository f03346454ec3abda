using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Apis;

public sealed record RegisterCommunityRequest(string? Name, string? District, string? Street, double? Latitude, double? Longitude);

public sealed record CommunityResponse(Guid Id, string Name, string District, string Street, double Latitude, double Longitude, DateTimeOffset RegisteredAt)
{
    public static CommunityResponse From(Community c) => new(c.Id, c.Name, c.District, c.Street, c.Latitude, c.Longitude, c.RegisteredAt);
}

public static class CommunitiesApi
{
    private static readonly Action<ILogger, Guid, string, Exception?> CommunityRegisteredLog = LoggerMessage.Define<Guid, string>(
        LogLevel.Information, new EventId(1, "CommunityRegistered"), "Community {CommunityId} registered in {District}");

    public static RouteGroupBuilder MapCommunitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/communities").WithTags("Communities")
            // Any signed-in user reads the directory; only organization officers and operators change it.
            .RequireAuthorization();
        group.MapPost("/", Register)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("RegisterCommunity")
            .WithSummary("Register a village or community")
            .WithDescription("Registers a community where workers report in. Publishes CommunityRegistered; every other service keeps a copy.");
        group.MapPut("/{id:guid}", Update)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .WithName("UpdateCommunity")
            .WithSummary("Correct a community's name, district, street or location")
            .WithDescription("Publishes CommunityUpdated so that every service updates its copy. Same rules as registration; a name already used in that street is a 409.");
        group.MapGet("/", List)
            .WithName("ListCommunities")
            .WithSummary("List communities")
            .WithDescription("Pages through registered communities, optionally in one district or street.");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetCommunity")
            .WithSummary("One community");
        return group;
    }

    internal static async Task<Results<Created<CommunityResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterCommunityRequest request, OrganizationsDb db, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var registered = Community.Register(request.Name, request.District, request.Street, request.Latitude, request.Longitude, clock.GetUtcNow());
        if (!registered.IsValid)
        {
            return TypedResults.ValidationProblem(registered.Errors);
        }
        var community = registered.Value!;
        db.Communities.Add(community);
        db.Publish(community.ToEvent(), clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("This community is already registered.", $"A community named '{community.Name}' already exists in {community.District}, {community.Street}.").ToProblem();
        }
        CommunityRegisteredLog(loggers.CreateLogger("Platform.Organizations.Communities"), community.Id, community.District, null);
        return TypedResults.Created($"/communities/{community.Id}", CommunityResponse.From(community));
    }

    internal static async Task<Results<Ok<CommunityResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, RegisterCommunityRequest request, OrganizationsDb db, TimeProvider clock, CancellationToken ct)
    {
        // Locked until the correction commits: two corrections of one community (on any two instances) then commit one
        // after the other, each dated after the one before it (Community.Update), so every copy ends with the last.
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE \"Id\" = {id} FOR UPDATE").FirstOrDefaultAsync(ct);
        if (community is null)
        {
            return TypedResults.NotFound();
        }
        var errors = community.Update(request.Name, request.District, request.Street, request.Latitude, request.Longitude, clock.GetUtcNow());
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        db.Publish(community.ToUpdatedEvent(), clock);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Refusal.Conflict("Another community has this name.", $"A community named '{community.Name}' already exists in {community.District}, {community.Street}.").ToProblem();
        }
        return TypedResults.Ok(CommunityResponse.From(community));
    }

    internal static async Task<Results<Ok<Page<CommunityResponse>>, ValidationProblem>> List(
        OrganizationsDb db, [AsParameters] PageQuery paging, string? district, string? street, CancellationToken ct)
    {
        var query = db.Communities.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.Where(c => c.District == district);
        }
        if (!string.IsNullOrWhiteSpace(street))
        {
            query = query.Where(c => c.Street == street);
        }
        return TypedResults.Ok((await query.OrderBy(c => c.District).ThenBy(c => c.Street).ThenBy(c => c.Name).ToPageAsync(paging, ct)).Map(CommunityResponse.From));
    }

    internal static async Task<Results<Ok<CommunityResponse>, NotFound>> Get(Guid id, OrganizationsDb db, CancellationToken ct)
    {
        var community = await db.Communities.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return community is null ? TypedResults.NotFound() : TypedResults.Ok(CommunityResponse.From(community));
    }
}
