using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

public sealed record RecordStudyActivityRequest(Guid? OrganizationId, StudyActivityKind? Kind, string? Theme, DateOnly? HeldOn, int? Attendance);

public sealed record StudyActivityResponse(Guid Id, Guid OrganizationId, StudyActivityKind Kind, string Theme, DateOnly HeldOn, FixedStudyOccasion? Occasion, int Attendance)
{
    public static StudyActivityResponse From(StudyActivity a) => new(a.Id, a.OrganizationId, a.Kind, a.Theme, a.HeldOn, a.Occasion, a.Attendance);
}

public sealed record CalendarDate(FixedStudyOccasion Occasion, DateOnly Date, IReadOnlyList<StudyActivityResponse> Activities);

/// <summary>A year's fixed study dates; DoubleStudySessions counts the double-study sessions the organization asked for recorded that year.</summary>
public sealed record StudyCalendarResponse(int Year, DateOnly SpringFestival, IReadOnlyList<CalendarDate> FixedDates, int? DoubleStudySessions);

public static class StudyActivitiesApi
{
    public static IEndpointRouteBuilder MapStudyActivitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/study-activities").WithTags("Study activities").RequireAuthorization();
        group.MapPost("/", Record)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("RecordStudyActivity")
            .WithSummary("Record a study activity an organization held")
            .WithDescription("A themed day (only on one of the year's four fixed study dates), a double-study session or a \"three meetings and one lesson\", with its attendance, once held. Publishes StudyActivityHeld.");
        group.MapGet("/", List)
            .WithName("ListStudyActivities")
            .WithSummary("Study activities, newest first; filter by organization, kind and year");
        app.MapGet("/calendar/{year:int}", Calendar)
            .WithTags("Study activities")
            .RequireAuthorization()
            .WithName("GetStudyCalendar")
            .WithSummary("A year's four fixed study dates")
            .WithDescription("Before Spring Festival (Lunar New Year's Eve, from the Chinese lunisolar calendar), 1 May, 1 July and 1 October; with organizationId, the activities that organization held on each date and its double-study count.");
        return app;
    }

    internal static async Task<Results<Created<StudyActivityResponse>, ValidationProblem>> Record(
        RecordStudyActivityRequest request, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var recorded = StudyActivity.Record(request.OrganizationId, request.Kind, request.Theme, request.HeldOn, request.Attendance, clock.GetUtcNow());
        if (!recorded.IsValid)
        {
            return TypedResults.ValidationProblem(recorded.Errors);
        }
        var activity = recorded.Value!;
        db.StudyActivities.Add(activity);
        db.Publish(activity.ToEvent(), clock);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/study-activities/{activity.Id}", StudyActivityResponse.From(activity));
    }

    internal static async Task<Results<Ok<Page<StudyActivityResponse>>, ValidationProblem>> List(
        TrainingDb db, [AsParameters] PageQuery paging, Guid? organizationId, string? kind, int? year, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kindFilter = KebabEnum.Filter<StudyActivityKind>(kind, "kind", errors);
        if (year is < 1 or > 9998)
        {
            errors["year"] = ["year must be between 1 and 9998."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.StudyActivities.AsNoTracking();
        if (organizationId is not null) { query = query.Where(a => a.OrganizationId == organizationId); }
        if (kindFilter is not null) { query = query.Where(a => a.Kind == kindFilter); }
        if (year is not null)
        {
            var from = new DateOnly(year.Value, 1, 1);
            var to = from.AddYears(1);
            query = query.Where(a => a.HeldOn >= from && a.HeldOn < to);
        }
        return TypedResults.Ok((await query.OrderByDescending(a => a.HeldOn).ThenByDescending(a => a.Id).ToPageAsync(paging, ct)).Map(StudyActivityResponse.From));
    }

    internal static async Task<Results<Ok<StudyCalendarResponse>, ValidationProblem>> Calendar(
        int year, Guid? organizationId, TrainingDb db, CancellationToken ct)
    {
        if (!StudyCalendar.Supports(year))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["year"] = [$"year must be between {StudyCalendar.MinYear} and {StudyCalendar.MaxYear} (the range of the Chinese lunisolar calendar)."],
            });
        }
        var fixedDates = StudyCalendar.For(year);
        List<StudyActivity> held = [];
        int? doubleStudy = null;
        if (organizationId is not null)
        {
            var dates = fixedDates.Select(d => d.Date).ToList();
            // At most a handful a day: bounded by the four dates and a cap.
            held = await db.StudyActivities.AsNoTracking()
                .Where(a => a.OrganizationId == organizationId && dates.Contains(a.HeldOn))
                .OrderBy(a => a.HeldOn).ThenBy(a => a.Id).Take(200).ToListAsync(ct);
            var from = new DateOnly(year, 1, 1);
            var to = from.AddYears(1);
            doubleStudy = await db.StudyActivities.CountAsync(
                a => a.OrganizationId == organizationId && a.Kind == StudyActivityKind.DoubleStudy && a.HeldOn >= from && a.HeldOn < to, ct);
        }
        return TypedResults.Ok(new StudyCalendarResponse(
            year,
            StudyCalendar.SpringFestival(year),
            [.. fixedDates.Select(d => new CalendarDate(d.Occasion, d.Date, [.. held.Where(a => a.HeldOn == d.Date).Select(StudyActivityResponse.From)]))],
            doubleStudy));
    }
}
