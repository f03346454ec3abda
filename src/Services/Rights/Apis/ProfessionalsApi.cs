using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Rights.Data;
using Platform.Rights.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;

namespace Platform.Rights.Apis;

public sealed record ProfessionalRequest(string? Name, Specialty? Specialty, string? District, bool? Active);

public sealed record ProfessionalView(Guid Id, string Name, Specialty Specialty, string? District, bool Active, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt)
{
    public static ProfessionalView From(Professional p) => new(p.Id, p.Name, p.Specialty, p.District, p.Active, p.RegisteredAt, p.UpdatedAt);
}

/// <summary>
/// The register of legal workers and counsellors, kept by supervisors. Access tokens say only "professional"; the
/// register, keyed by the professional's user id, says which specialty they practise and whether they take cases.
/// </summary>
public static class ProfessionalsApi
{
    public static RouteGroupBuilder MapProfessionalsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/professionals").WithTags("Professionals");
        group.MapPut("/{id:guid}", Put)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("PutProfessional")
            .WithSummary("Register a professional (by user id) or change their entry")
            .WithDescription("Specialty legal or counselling decides which cases they can be assigned; active=false stops new assignments.");
        group.MapGet("/", List)
            .RequireRoles(PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("ListProfessionals")
            .WithSummary("The register, filtered by specialty and active");
        group.MapGet("/me", Me)
            .RequireRoles(PlatformRoles.Professional)
            .WithName("GetMyProfessionalEntry")
            .WithSummary("The signed-in professional's own entry");
        return group;
    }

    internal static async Task<Results<Created<ProfessionalView>, Ok<ProfessionalView>, ValidationProblem>> Put(
        Guid id, ProfessionalRequest request, RightsDb db, TimeProvider clock, CancellationToken ct)
    {
        var existing = await db.Professionals.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (existing is not null)
        {
            var errors = existing.Update(request.Name, request.Specialty, request.District, request.Active, clock.GetUtcNow());
            if (errors.Any)
            {
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(ProfessionalView.From(existing));
        }
        var registered = Professional.Register(id, request.Name, request.Specialty, request.District, request.Active, clock.GetUtcNow());
        if (!registered.IsValid)
        {
            return TypedResults.ValidationProblem(registered.Errors);
        }
        db.Professionals.Add(registered.Value!);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (Platform.ServiceDefaults.Data.DbErrors.IsUniqueViolation(ex))
        {
            // Two supervisors registered the same person at once: the entry exists, which is what both asked for.
            db.ChangeTracker.Clear();
            var now = await db.Professionals.AsNoTracking().FirstAsync(p => p.Id == id, ct);
            return TypedResults.Ok(ProfessionalView.From(now));
        }
        return TypedResults.Created($"/professionals/{id}", ProfessionalView.From(registered.Value!));
    }

    internal static async Task<Results<Ok<Page<ProfessionalView>>, ValidationProblem>> List(
        RightsDb db, [AsParameters] PageQuery paging, string? specialty, bool? active, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var specialtyFilter = KebabEnum.Filter<Specialty>(specialty, "specialty", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Professionals.AsNoTracking();
        if (specialtyFilter is not null) { query = query.Where(p => p.Specialty == specialtyFilter); }
        if (active is not null) { query = query.Where(p => p.Active == active); }
        // Names are encrypted, so the order is by registration, not by name.
        return TypedResults.Ok((await query.OrderBy(p => p.RegisteredAt).ThenBy(p => p.Id).ToPageAsync(paging, ct)).Map(ProfessionalView.From));
    }

    internal static async Task<Results<Ok<ProfessionalView>, NotFound>> Me(ClaimsPrincipal user, RightsDb db, CancellationToken ct)
    {
        var id = user.SubjectId();
        var entry = await db.Professionals.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return entry is null ? TypedResults.NotFound() : TypedResults.Ok(ProfessionalView.From(entry));
    }
}
