using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;
using Platform.ServiceDefaults.Time;

namespace Platform.Training.Apis;

public sealed record CreateProgrammeRequest(string? Name, int? Target, DateOnly? StartsOn, DateOnly? EndsOn);

public sealed record ProgrammeResponse(Guid Id, string Name, int Target, DateOnly StartsOn, DateOnly EndsOn, ProgrammeProgress Progress);

public static class ProgrammesApi
{
    public static RouteGroupBuilder MapProgrammesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/programmes").WithTags("Programmes")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Supervisor, PlatformRoles.Operator);
        group.MapPost("/", Create)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("CreateProgramme")
            .WithSummary("Set up a programme with a target (e.g. 3,000 live-stream streamers in 3 years)")
            .WithDescription("Courses created with this programmeId count towards it: each completion of such a course is one towards the target.");
        group.MapGet("/", List)
            .WithName("ListProgrammes")
            .WithSummary("Programmes with their progress");
        group.MapGet("/{id:guid}", Get)
            .WithName("GetProgramme")
            .WithSummary("A programme's progress: completions, share of target, and whether the pace meets the target");
        return group;
    }

    internal static async Task<Results<Created<ProgrammeResponse>, ValidationProblem>> Create(
        CreateProgrammeRequest request, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var created = Programme.Create(request.Name, request.Target, request.StartsOn, request.EndsOn, now);
        if (!created.IsValid)
        {
            return TypedResults.ValidationProblem(created.Errors);
        }
        var programme = created.Value!;
        db.Programmes.Add(programme);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/programmes/{programme.Id}", Response(programme, 0, now));
    }

    internal static async Task<Results<Ok<Page<ProgrammeResponse>>, ValidationProblem>> List(
        TrainingDb db, TimeProvider clock, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var page = await WithProgress(db).ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(r => Response(r.Programme, r.Completions, now)));
    }

    internal static async Task<Results<Ok<ProgrammeResponse>, NotFound>> Get(Guid id, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var programme = await db.Programmes.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (programme is null)
        {
            return TypedResults.NotFound();
        }
        var completions = await CompletionsOf(db, id).LongCountAsync(ct);
        return TypedResults.Ok(Response(programme, completions, clock.GetUtcNow()));
    }

    /// <summary>The newest programmes with their progress, for the city's overview.</summary>
    internal static async Task<List<ProgrammeResponse>> LatestWithProgressAsync(TrainingDb db, DateTimeOffset now, int count, CancellationToken ct)
    {
        var rows = await WithProgress(db).Take(count).ToListAsync(ct);
        return [.. rows.Select(r => Response(r.Programme, r.Completions, now))];
    }

    /// <summary>Programmes (newest first) with their completions counted in the database.</summary>
    private static IQueryable<ProgrammeRow> WithProgress(TrainingDb db) =>
        db.Programmes.AsNoTracking().OrderByDescending(p => p.StartsOn).ThenBy(p => p.Id)
            .Select(p => new ProgrammeRow
            {
                Programme = p,
                Completions = db.Enrolments.LongCount(e => e.Status == EnrolmentStatus.Completed
                                                           && db.Courses.Any(c => c.Id == e.CourseId && c.ProgrammeId == p.Id)),
            });

    // Member initialisation, not a constructor: EF composes paging over it.
    private sealed class ProgrammeRow
    {
        public required Programme Programme { get; init; }
        public long Completions { get; init; }
    }

    private static IQueryable<Enrolment> CompletionsOf(TrainingDb db, Guid programmeId) =>
        db.Enrolments.Where(e => e.Status == EnrolmentStatus.Completed && db.Courses.Any(c => c.Id == e.CourseId && c.ProgrammeId == programmeId));

    private static ProgrammeResponse Response(Programme p, long completions, DateTimeOffset now) =>
        new(p.Id, p.Name, p.Target, p.StartsOn, p.EndsOn, p.Progress(completions, CityClock.DateOf(now)));
}
