using System.Security.Cryptography;
using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Time;

namespace Platform.Training.Domain;

/// <summary>
/// Proof that a worker completed a course. Its code is random (not derived from ids), short enough to type from
/// paper, and anyone (an employer) can verify it; the holder's name is then shown masked only.
/// </summary>
public sealed class Certificate
{
    // No 0/O, 1/I/L: the code is read from paper and typed.
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int CodeLength = 12;

    public Guid Id { get; private set; }
    /// <summary>The code without separators, upper case.</summary>
    public string Code { get; private set; } = "";
    public Guid CourseId { get; private set; }
    public Guid EnrolmentId { get; private set; }
    public Guid WorkerId { get; private set; }
    /// <summary>Personal data: stored encrypted.</summary>
    public string HolderName { get; private set; } = "";
    public string CourseTitle { get; private set; } = "";
    public CourseKind CourseKind { get; private set; }
    public string ProviderName { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }

    private Certificate() { }

    public string DisplayCode => $"{Code[..4]}-{Code[4..8]}-{Code[8..]}";

    public DateOnly IssuedOn => CityClock.DateOf(IssuedAt);

    public static Certificate Issue(Course course, Enrolment enrolment, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new Certificate
        {
            Id = Guid.CreateVersion7(now),
            Code = NewCode(),
            CourseId = course.Id,
            EnrolmentId = enrolment.Id,
            WorkerId = enrolment.WorkerId,
            HolderName = enrolment.NameOnCertificate,
            CourseTitle = course.Title,
            CourseKind = course.Kind,
            ProviderName = course.ProviderName,
            IssuedAt = now,
        };
    }

    public CourseCompleted ToEvent() => new(CourseId, WorkerId, Id, Course.KindCode(CourseKind), IssuedAt);

    /// <summary>Reads a code as a person types it: any case, with or without dashes and spaces.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }
        var code = new string([.. typed.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant)]);
        return code.Length == CodeLength && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? code : null;
    }

    private static string NewCode() => RandomNumberGenerator.GetString(Alphabet, CodeLength);
}
