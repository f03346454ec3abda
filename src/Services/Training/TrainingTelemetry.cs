using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.ServiceDefaults.Http;
using Platform.Training.Domain;
using static Platform.ServiceDefaults.Telemetry.PlatformTelemetry;

namespace Platform.Training;

/// <summary>The training service's meter and traces on the dashboard. Tags: seat outcome and course kind, never a learner.</summary>
public sealed class TrainingTelemetry
{
    public const string Name = "Platform.Training";

    /// <summary>Traces named for the domain operation (<c>training.enrol</c>, <c>training.attendance</c>).</summary>
    public static readonly ActivitySource Activities = new(Name);

    private readonly Counter<long> _enrolments;
    private readonly Counter<long> _completions;

    public TrainingTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _enrolments = meter.CreateCounter<long>("platform.training.enrolments", "{enrolment}",
            "Enrolments made by workers (status: enrolled with a seat, or waitlisted).");
        _completions = meter.CreateCounter<long>("platform.training.completions", "{completion}",
            "Learners who completed a course and got a certificate (kind: the course kind).");
    }

    /// <summary>After the enrolment committed.</summary>
    public void Enrolled(EnrolmentStatus status) => _enrolments.Add(1, Tag("status", KebabEnum.Name(status)));

    /// <summary>After the attendance that completed them committed.</summary>
    public void Completed(CourseKind kind, int learners)
    {
        if (learners > 0)
        {
            _completions.Add(learners, Tag("kind", KebabEnum.Name(kind)));
        }
    }
}
