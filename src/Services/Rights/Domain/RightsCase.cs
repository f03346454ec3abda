using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

/// <summary>What is known when a case is opened, whoever opens it.</summary>
public sealed record CaseSubmission(
    CaseCategory? Category,
    CaseChannel? Channel,
    Urgency? Urgency,
    string? Description,
    Guid? RequesterWorkerId,
    string? CallbackNumber,
    string? District,
    Guid? SubmittedBy);

/// <summary>Who is looking at a case, as far as the case's own rules care.</summary>
public enum CaseParty
{
    None,
    Requester,
    AssignedProfessional,
}

/// <summary>
/// A legal or counselling case (权益保障). Its description, notes, resolution, escalation reason and callback number
/// are confidential: they are stored encrypted and shown only to the requester, the assigned professional, and a
/// supervisor who states a reason (audited).
/// </summary>
public sealed class RightsCase
{
    public const int DescriptionMaxLength = 4000;
    public const int NoteMaxLength = 4000;
    public const int ReasonMaxLength = 1000;
    public const int DistrictMaxLength = 50;
    /// <summary>Keeps a case file bounded: a case that needs more belongs with a partner.</summary>
    public const int MaxNotes = 500;

    private readonly List<CaseNote> _notes = [];

    public Guid Id { get; private set; }
    public CaseCategory Category { get; private set; }
    public CaseChannel Channel { get; private set; }
    public Urgency Urgency { get; private set; }
    public CaseStatus Status { get; private set; }
    public string? District { get; private set; }
    /// <summary>The worker who asked for help; null for an anonymous requester.</summary>
    public Guid? RequesterWorkerId { get; private set; }
    /// <summary>Confidential. How to reach the requester (the only contact of an anonymous one).</summary>
    public string? CallbackNumber { get; private set; }
    /// <summary>Blind index of the callback number: finds open requests from one number without decrypting.</summary>
    public string? CallbackNumberIndex { get; private set; }
    /// <summary>Confidential.</summary>
    public string Description { get; private set; } = "";
    /// <summary>Staff member who recorded the case for someone else (hotline, station); null when self-submitted.</summary>
    public Guid? SubmittedBy { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public DateTimeOffset FirstResponseDueAt { get; private set; }
    public DateTimeOffset? TriagedAt { get; private set; }
    public Guid? AssignedProfessionalId { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public DateTimeOffset? FirstRespondedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    /// <summary>Confidential: what was done.</summary>
    public string? Resolution { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int? Satisfaction { get; private set; }
    public EscalationPartner? EscalatedTo { get; private set; }
    /// <summary>Confidential.</summary>
    public string? EscalationReason { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    /// <summary>Optimistic concurrency: two professionals acting at once cannot both win.</summary>
    public uint Version { get; private set; }
    public RecordSource Source { get; private set; }
    /// <summary>The case's id in the ledger it was imported from (unique): importing it again finds it instead of copying it.</summary>
    public string? ExternalId { get; private set; }

    public IReadOnlyList<CaseNote> Notes => _notes;

    private RightsCase() { }

    /// <summary>Opens a case. A case must name its requester: a worker, or a callback number for an anonymous one.</summary>
    public static Validated<RightsCase> Submit(CaseSubmission s, DateTimeOffset now, Func<string, string> blindIndex)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(blindIndex);
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var category = errors.Required("category", s.Category);
        var channel = errors.Required("channel", s.Channel);
        var description = errors.Text("description", s.Description, DescriptionMaxLength);
        var district = errors.OptionalText("district", s.District, DistrictMaxLength);
        string? callback = null;
        if (!string.IsNullOrWhiteSpace(s.CallbackNumber))
        {
            callback = Domain.CallbackNumber.Normalise(s.CallbackNumber);
            if (callback is null)
            {
                errors.Add("callbackNumber", $"callbackNumber must be a telephone number of {Domain.CallbackNumber.MinDigits} to {Domain.CallbackNumber.MaxDigits} digits.");
            }
        }
        else if (s.RequesterWorkerId is null)
        {
            errors.Add("callbackNumber", "callbackNumber is required when the requester is anonymous (no worker).");
        }
        if (s.RequesterWorkerId == Guid.Empty)
        {
            errors.Add("workerId", "workerId must not be the empty id.");
        }
        if (errors.Any)
        {
            return Validated<RightsCase>.Invalid(errors);
        }
        var urgency = s.Urgency ?? Urgency.Normal;
        return Validated<RightsCase>.Ok(new RightsCase
        {
            Id = Guid.CreateVersion7(now),
            Category = category,
            Channel = channel,
            Urgency = urgency,
            Status = CaseStatus.Submitted,
            District = district,
            RequesterWorkerId = s.RequesterWorkerId,
            CallbackNumber = callback,
            CallbackNumberIndex = callback is null ? null : blindIndex(callback),
            Description = description,
            SubmittedBy = s.SubmittedBy,
            SubmittedAt = now,
            FirstResponseDueAt = now + CaseRules.FirstResponseWindow(urgency),
        });
    }

    /// <summary>Marks a case replayed from the city's earlier ledger (see <see cref="CaseImport"/>).</summary>
    internal void TakenFromLedger(string externalId)
    {
        Source = RecordSource.Imported;
        ExternalId = externalId;
    }

    /// <summary>A crisis (risk of self-harm) goes to supervisors at once, whatever the channel.</summary>
    public bool NeedsSupervisorAlert => Urgency == Urgency.Crisis;

    /// <summary>The relation of a user to this case: the requester (by worker id) or the assigned professional.</summary>
    public CaseParty PartyOf(Guid? workerId, Guid? professionalId)
    {
        if (workerId is not null && RequesterWorkerId == workerId)
        {
            return CaseParty.Requester;
        }
        if (professionalId is not null && AssignedProfessionalId == professionalId)
        {
            return CaseParty.AssignedProfessional;
        }
        return CaseParty.None;
    }

    /// <summary>Overdue: no first response yet and the promised time has passed.</summary>
    public bool IsOverdue(DateTimeOffset now) =>
        FirstRespondedAt is null && Status.AwaitsFirstResponse() && now > FirstResponseDueAt;

    /// <summary>A supervisor confirms category and urgency; the deadline follows the urgency.</summary>
    public Refusal? Triage(CaseCategory? category, Urgency? urgency, DateTimeOffset now)
    {
        if (Status != CaseStatus.Submitted)
        {
            return Refusal.Conflict($"Only a submitted case can be triaged; this one is {KebabEnum.Name(Status)}.");
        }
        Category = category ?? Category;
        SetUrgency(urgency ?? Urgency);
        TriagedAt = now.ToDatabasePrecision();
        Status = CaseStatus.Triaged;
        return null;
    }

    /// <summary>
    /// Gives the case to a professional whose specialty fits. A triaged case, or one already assigned (reassignment);
    /// a crisis case may be assigned straight from submission: there is no time for a separate triage.
    /// </summary>
    public Refusal? AssignTo(Professional professional, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(professional);
        var assignable = Status is CaseStatus.Triaged or CaseStatus.Assigned or CaseStatus.InProgress
                         || (Status == CaseStatus.Submitted && Urgency == Urgency.Crisis);
        if (!assignable)
        {
            return Status == CaseStatus.Submitted
                ? Refusal.Conflict("Triage the case before assigning it (only crisis cases skip triage).")
                : Refusal.Conflict($"A {KebabEnum.Name(Status)} case cannot be assigned.");
        }
        if (!professional.Active)
        {
            return Refusal.Invalid("professionalId", "This professional is not active.");
        }
        if (!professional.Specialty.Fits(Category))
        {
            return Refusal.Invalid("professionalId", $"A {KebabEnum.Name(professional.Specialty)} professional cannot take a {KebabEnum.Name(Category)} case.");
        }
        if (AssignedProfessionalId == professional.Id)
        {
            return Refusal.Conflict("The case is already assigned to this professional.");
        }
        now = now.ToDatabasePrecision();
        TriagedAt ??= now;
        AssignedProfessionalId = professional.Id;
        AssignedAt = now;
        Status = CaseStatus.Assigned;
        return null;
    }

    /// <summary>The assigned professional takes the case up: the first response, if none was given before.</summary>
    public Refusal? Start(DateTimeOffset now)
    {
        if (Status != CaseStatus.Assigned)
        {
            return Refusal.Conflict($"Only an assigned case can be started; this one is {KebabEnum.Name(Status)}.");
        }
        Status = CaseStatus.InProgress;
        FirstRespondedAt ??= now.ToDatabasePrecision();
        return null;
    }

    /// <summary>
    /// The requester or the assigned professional writes to the case file. A professional's first note to an
    /// assigned case is the first response and starts the work.
    /// </summary>
    public Refusal? AddNote(CaseParty author, Guid authorId, string? text, DateTimeOffset now, out CaseNote? note)
    {
        note = null;
        var errors = new FieldErrors();
        var body = errors.Text("text", text, NoteMaxLength);
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        if (author == CaseParty.None)
        {
            throw new InvalidOperationException("Only a party to the case writes notes.");
        }
        if (Status is CaseStatus.Closed or CaseStatus.Escalated)
        {
            return Refusal.Conflict($"A {KebabEnum.Name(Status)} case takes no more notes.");
        }
        if (_notes.Count >= MaxNotes)
        {
            return Refusal.Conflict($"A case holds at most {MaxNotes} notes.");
        }
        now = now.ToDatabasePrecision();
        if (author == CaseParty.AssignedProfessional && Status == CaseStatus.Assigned)
        {
            Start(now);
        }
        note = CaseNote.Write(Id, author, authorId, body, now);
        _notes.Add(note);
        return null;
    }

    /// <summary>The assigned professional records what was done.</summary>
    public Refusal? Resolve(string? summary, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var text = errors.Text("summary", summary, NoteMaxLength);
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        if (Status != CaseStatus.InProgress)
        {
            return Refusal.Conflict($"Only a case in progress can be resolved; this one is {KebabEnum.Name(Status)}.");
        }
        Resolution = text;
        ResolvedAt = now.ToDatabasePrecision();
        Status = CaseStatus.Resolved;
        return null;
    }

    /// <summary>Closes a resolved case with the requester's satisfaction, 1 (poor) to 5 (very good).</summary>
    public Refusal? Close(int? satisfaction, DateTimeOffset now)
    {
        if (satisfaction is null)
        {
            return Refusal.Invalid("satisfaction", "satisfaction is required.");
        }
        if (satisfaction is < 1 or > 5)
        {
            return Refusal.Invalid("satisfaction", "satisfaction must be between 1 and 5.");
        }
        if (Status != CaseStatus.Resolved)
        {
            return Refusal.Conflict($"Only a resolved case can be closed; this one is {KebabEnum.Name(Status)}.");
        }
        Satisfaction = satisfaction;
        ClosedAt = now.ToDatabasePrecision();
        Status = CaseStatus.Closed;
        return null;
    }

    /// <summary>Hands the case to labour inspection or trade-union legal aid, with the reason.</summary>
    public Refusal? Escalate(EscalationPartner? partner, string? reason, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var to = errors.Required("partner", partner);
        var why = errors.Text("reason", reason, ReasonMaxLength);
        if (errors.Any)
        {
            return Refusal.Invalid(errors);
        }
        if (Status.IsFinished())
        {
            return Refusal.Conflict($"A {KebabEnum.Name(Status)} case cannot be escalated.");
        }
        EscalatedTo = to;
        EscalationReason = why;
        EscalatedAt = now.ToDatabasePrecision();
        Status = CaseStatus.Escalated;
        return null;
    }

    public RightsCaseOpened ToOpenedEvent() =>
        new(Id, KebabEnum.Name(Category), KebabEnum.Name(Channel), District, KebabEnum.Name(Urgency), SubmittedAt);

    /// <summary>Resolution or escalation: the end of the rights team's work, as partners count it.</summary>
    public RightsCaseResolved ToResolvedEvent()
    {
        var escalated = Status == CaseStatus.Escalated;
        var at = (escalated ? EscalatedAt : ResolvedAt) ?? throw new InvalidOperationException("The case is not resolved.");
        return new(Id, KebabEnum.Name(Category), KebabEnum.Name(Channel), District, escalated,
            FirstRespondedAt - SubmittedAt, at - SubmittedAt, at);
    }

    private void SetUrgency(Urgency urgency)
    {
        Urgency = urgency;
        FirstResponseDueAt = SubmittedAt + CaseRules.FirstResponseWindow(urgency);
    }
}

public enum NoteAuthor
{
    Requester,
    Professional,
}

/// <summary>One entry in a case file, by the requester or the assigned professional. The text is confidential.</summary>
public sealed class CaseNote
{
    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public NoteAuthor Author { get; private set; }
    public Guid AuthorId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset WrittenAt { get; private set; }

    private CaseNote() { }

    internal static CaseNote Write(Guid caseId, CaseParty party, Guid authorId, string text, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CaseId = caseId,
        Author = party == CaseParty.Requester ? NoteAuthor.Requester : NoteAuthor.Professional,
        AuthorId = authorId,
        Text = text,
        WrittenAt = now,
    };
}
