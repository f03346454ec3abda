using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

/// <summary>One supervisor read of a case's confidential content, with the stated reason: the audit log.</summary>
public sealed class ContentRead
{
    public const int ReasonMinLength = 10;

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Guid SupervisorId { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTimeOffset ReadAt { get; private set; }

    private ContentRead() { }

    /// <summary>A reason is a sentence someone can later check, not a token gesture: at least 10 characters.</summary>
    public static Validated<ContentRead> Record(Guid caseId, Guid supervisorId, string? reason, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var text = errors.Text("reason", reason, RightsCase.ReasonMaxLength);
        if (!errors.Any && text.Length < ReasonMinLength)
        {
            errors.Add("reason", $"reason must say why, in at least {ReasonMinLength} characters.");
        }
        return errors.Any
            ? Validated<ContentRead>.Invalid(errors)
            : Validated<ContentRead>.Ok(new ContentRead
            {
                Id = Guid.CreateVersion7(now),
                CaseId = caseId,
                SupervisorId = supervisorId,
                Reason = text,
                ReadAt = now,
            });
    }
}
