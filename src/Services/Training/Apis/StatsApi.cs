using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

public sealed record EnrolmentStats(long Enrolled, long Waitlisted, long Cancelled, long Completed);

public sealed record StudyActivityStats(long Count, long Attendance, IReadOnlyDictionary<string, long> ByKind);

public sealed record ArticleStats(long Count, long Reads, IReadOnlyDictionary<string, long> ByCategory);

/// <summary>The training figures at a glance; Programmes holds the 50 most recent programmes with their progress.</summary>
public sealed record TrainingStats(
    IReadOnlyDictionary<string, long> CoursesByKind, EnrolmentStats Enrolments, long Completions, long Certificates,
    StudyActivityStats StudyActivities, ArticleStats Articles, IReadOnlyList<ProgrammeResponse> Programmes);

public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stats", Get)
            .WithTags("Stats")
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Supervisor, PlatformRoles.Operator)
            .WithName("GetTrainingStats")
            .WithSummary("Courses by kind, enrolments, completions, study activities, articles and programme progress");
        return app;
    }

    internal static async Task<Ok<TrainingStats>> Get(TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var courses = await db.Courses.GroupBy(c => c.Kind).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var enrolments = await db.Enrolments.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var activities = await db.StudyActivities.GroupBy(a => a.Kind)
            .Select(g => new { g.Key, Count = g.LongCount(), Attendance = g.Sum(a => (long)a.Attendance) }).ToListAsync(ct);
        var articles = await db.Articles.GroupBy(a => a.Category)
            .Select(g => new { g.Key, Count = g.LongCount(), Reads = g.Sum(a => a.ReadCount) }).ToListAsync(ct);
        var certificates = await db.Certificates.LongCountAsync(ct);
        var programmes = await ProgrammesApi.LatestWithProgressAsync(db, clock.GetUtcNow(), 50, ct);

        long Of(EnrolmentStatus s) => enrolments.FirstOrDefault(e => e.Key == s)?.Count ?? 0;
        var completed = Of(EnrolmentStatus.Completed);
        return TypedResults.Ok(new TrainingStats(
            Enum.GetValues<CourseKind>().ToDictionary(k => KebabEnum.Name(k), k => courses.FirstOrDefault(c => c.Key == k)?.Count ?? 0),
            new EnrolmentStats(Of(EnrolmentStatus.Enrolled), Of(EnrolmentStatus.Waitlisted), Of(EnrolmentStatus.Cancelled), completed),
            completed,
            certificates,
            new StudyActivityStats(activities.Sum(a => a.Count), activities.Sum(a => a.Attendance),
                Enum.GetValues<StudyActivityKind>().ToDictionary(k => KebabEnum.Name(k), k => activities.FirstOrDefault(a => a.Key == k)?.Count ?? 0)),
            new ArticleStats(articles.Sum(a => a.Count), articles.Sum(a => a.Reads),
                Enum.GetValues<ArticleCategory>().ToDictionary(k => KebabEnum.Name(k), k => articles.FirstOrDefault(a => a.Key == k)?.Count ?? 0)),
            programmes));
    }
}
