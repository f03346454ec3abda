using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.ServiceDefaults.Data;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Application;

/// <summary>
/// How seats stay exact when many enrol at once.
/// <para>
/// Every seat decision on a course first locks the course row (<c>SELECT ... FOR UPDATE</c>), then takes a seat with
/// one conditional update, <c>SeatsTaken = SeatsTaken + 1 WHERE SeatsTaken &lt; Capacity</c>, in the enrolment's
/// transaction. Concurrent enrolments in one course therefore queue on the row lock and each sees the count the
/// previous one committed: exactly the free seats are granted, the rest join the waitlist, and the waitlist order is
/// the order of the decisions (the lock is taken for a refused seat too, which a bare conditional update, whose
/// 0-row outcome locks nothing, would not do). Chosen over SERIALIZABLE because contention on a popular course is the
/// normal case, not the exception: serializable would abort and retry most of a burst, while the queue costs one
/// short wait each. The lock is held only for the rest of a short transaction; a check constraint backs it up.
/// </para>
/// <para>
/// Giving back or passing on a seat (cancellation, promotion) and completing learners lock the course row
/// (<c>FOR UPDATE</c>) first, so they serialize with seat-taking on that course. A worker's own enrolments are
/// serialized by a transaction-scoped advisory lock on the worker id, so two concurrent enrolments of one worker in
/// overlapping courses cannot both pass the overlap check.
/// </para>
/// </summary>
public static class Seats
{
    private const int Attempts = 4;

    /// <summary>Takes a free seat if there is one; false when the course is full.</summary>
    public static async Task<bool> TryTakeAsync(TrainingDb db, Guid courseId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE courses SET \"SeatsTaken\" = \"SeatsTaken\" + 1 WHERE \"Id\" = {courseId} AND \"SeatsTaken\" < \"Capacity\"", ct) == 1;

    /// <summary>Locks the course row until the transaction ends.</summary>
    public static Task LockCourseAsync(TrainingDb db, Guid courseId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM courses WHERE \"Id\" = {courseId} FOR UPDATE", ct);

    /// <summary>Serializes enrolment decisions about one worker until the transaction ends.</summary>
    public static Task LockWorkerAsync(TrainingDb db, Guid workerId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({workerId.ToString()}, 0))", ct);

    /// <summary>Sessions (not yet ended) of the courses in which the worker holds a seat, other than <paramref name="exceptCourseId"/>.</summary>
    public static Task<List<CourseSession>> HeldSessionsAsync(TrainingDb db, Guid workerId, Guid exceptCourseId, DateTimeOffset now, CancellationToken ct) =>
        db.Enrolments.AsNoTracking()
            .Where(e => e.WorkerId == workerId && e.CourseId != exceptCourseId
                        && (e.Status == EnrolmentStatus.Enrolled || e.Status == EnrolmentStatus.Completed))
            .Join(db.Sessions, e => e.CourseId, s => s.CourseId, (e, s) => s)
            .Where(s => s.EndsAt > now)
            .ToListAsync(ct);

    /// <summary>
    /// A held seat was given up: the first waiting learner who holds no overlapping seat gets it and is told; with
    /// nobody to take it (or once the course has begun) the seat is freed. Call with the course row locked.
    /// </summary>
    public static async Task<Enrolment?> PassOnAsync(TrainingDb db, Course course, DateTimeOffset now, CancellationToken ct)
    {
        if (!course.HasBegun(now))
        {
            var waiting = await db.Enrolments
                .Where(e => e.CourseId == course.Id && e.Status == EnrolmentStatus.Waitlisted)
                .OrderBy(e => e.EnrolledAt).ThenBy(e => e.Id)
                .Take(100)
                .ToListAsync(ct);
            foreach (var candidate in waiting)
            {
                await LockWorkerAsync(db, candidate.WorkerId, ct);
                if (course.OverlapsAny(await HeldSessionsAsync(db, candidate.WorkerId, course.Id, now, ct)))
                {
                    continue;
                }
                db.Notices.Add(candidate.Promote(course, now));
                return candidate;
            }
        }
        course.FreeSeat();
        return null;
    }

    /// <summary>
    /// Runs a seat transaction, again from the start if PostgreSQL chose it as a deadlock victim or refused it as a
    /// serialization failure (workers and courses are locked in different orders by enrolment and cancellation).
    /// The work says whether to commit: a refusal after a write (e.g. a seat taken) must leave no trace.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(TrainingDb db, Func<Task<(T Result, bool Commit)>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
            try
            {
                var (result, commit) = await work();
                if (commit)
                {
                    await tx.CommitAsync(ct);
                }
                else
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    db.ChangeTracker.Clear();
                }
                return result;
            }
            catch (Exception ex) when (attempt < Attempts && IsTransient(ex))
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}
