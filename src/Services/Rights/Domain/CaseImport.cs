using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Rights.Domain;

/// <summary>
/// One case of the earlier ledger as an operator sends it: what was asked and by whom (as for a live case), and when
/// each workflow step happened. Steps left out did not happen; a step needs the ones before it.
/// </summary>
public sealed record HistoricalCase(
    string? ExternalId, CaseCategory? Category, CaseChannel? Channel, Urgency? Urgency, string? Description,
    Guid? WorkerId, string? CallbackNumber, string? District,
    DateTimeOffset? SubmittedAt, DateTimeOffset? TriagedAt, Guid? ProfessionalId, DateTimeOffset? AssignedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? ResolvedAt, string? Resolution, DateTimeOffset? ClosedAt, int? Satisfaction, Guid? CommunityId = null);

/// <summary>
/// The rules of taking over cases from the city's earlier ledger: bounded batches, times in the past, in workflow
/// order and at most <see cref="FieldErrors.MaxHistoryAge"/> old, and each step replayed through the same <see cref="RightsCase"/> methods
/// as a live case (triage before assignment unless crisis, a fitting professional, a summary to resolve, a score to
/// close). Field names in errors point into the batch (<c>cases[3].resolvedAt</c>).
/// </summary>
public static class CaseImport
{
    public const int MaxBatch = 200;
    public const int ExternalIdMaxLength = 100;

    /// <summary>
    /// Replays <paramref name="item"/> into a case, or adds the errors under <paramref name="field"/>.
    /// <paramref name="professionals"/> are the register entries the batch names.
    /// </summary>
    public static RightsCase? Replay(HistoricalCase? item, string field, IReadOnlyDictionary<Guid, Professional> professionals,
        DateTimeOffset now, Func<string, string> blindIndex, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(professionals);
        ArgumentNullException.ThrowIfNull(errors);
        if (item is null)
        {
            errors.Add(field, $"{field} is required.");
            return null;
        }
        now = now.ToDatabasePrecision();
        var externalId = errors.Text($"{field}.externalId", item.ExternalId, ExternalIdMaxLength);
        var submittedAt = errors.PastTime($"{field}.submittedAt", item.SubmittedAt, now);
        // Each step not before the one before it and not in the future.
        var previous = (Name: "submittedAt", At: submittedAt);
        foreach (var (name, at) in new[]
                 {
                     ("triagedAt", item.TriagedAt), ("assignedAt", item.AssignedAt), ("startedAt", item.StartedAt),
                     ("resolvedAt", item.ResolvedAt), ("closedAt", item.ClosedAt),
                 })
        {
            if (at is not { } time)
            {
                continue;
            }
            if (time > now)
            {
                errors.Add($"{field}.{name}", $"{field}.{name} must not be in the future.");
            }
            else if (item.SubmittedAt is not null && time < previous.At)
            {
                errors.Add($"{field}.{name}", $"{field}.{name} must not be before {previous.Name}.");
            }
            previous = (name, time > previous.At ? time : previous.At);
        }
        if (errors.Any && item.SubmittedAt is null)
        {
            return null;
        }

        var submitted = RightsCase.Submit(
            new CaseSubmission(item.Category, item.Channel, item.Urgency, item.Description, item.WorkerId, item.CallbackNumber, item.District, null),
            submittedAt, blindIndex);
        foreach (var (name, messages) in submitted.Errors)
        {
            foreach (var message in messages)
            {
                errors.Add($"{field}.{name}", $"{field}.{message}");
            }
        }
        if (submitted.Value is not { } rightsCase)
        {
            return null;
        }
        if (item.TriagedAt is { } triaged && !Step(rightsCase.Triage(null, null, triaged), field, "triagedAt", errors))
        {
            return null;
        }
        if (item.AssignedAt is { } assigned)
        {
            if (item.ProfessionalId is not { } id || !professionals.TryGetValue(id, out var professional))
            {
                errors.Add($"{field}.professionalId", $"{field}.professionalId must name a professional in the register: an assigned case belongs to one.");
                return null;
            }
            if (!Step(rightsCase.AssignTo(professional, assigned), field, "assignedAt", errors))
            {
                return null;
            }
        }
        else if (item.ProfessionalId is not null)
        {
            errors.Add($"{field}.assignedAt", $"{field}.assignedAt is required with professionalId.");
            return null;
        }
        if (item.StartedAt is { } started && !Step(rightsCase.Start(started), field, "startedAt", errors))
        {
            return null;
        }
        if (item.ResolvedAt is { } resolved && !Step(rightsCase.Resolve(item.Resolution, resolved), field, "resolvedAt", errors, "resolution"))
        {
            return null;
        }
        if (item.ClosedAt is { } closed && !Step(rightsCase.Close(item.Satisfaction, closed), field, "closedAt", errors))
        {
            return null;
        }
        rightsCase.TakenFromLedger(externalId);
        return rightsCase;
    }

    /// <summary>A refused step: bad input names its field; a step out of the workflow names the step's time.</summary>
    private static bool Step(Refusal? refused, string field, string stepField, FieldErrors errors, string? inputField = null)
    {
        if (refused is null)
        {
            return true;
        }
        if (refused.Errors is not null)
        {
            foreach (var (name, messages) in refused.Errors)
            {
                foreach (var message in messages)
                {
                    errors.Add($"{field}.{(name == "summary" ? inputField ?? name : name)}", $"{field}: {message}");
                }
            }
        }
        else
        {
            errors.Add($"{field}.{stepField}", $"{field}.{stepField}: {refused.Title}");
        }
        return false;
    }
}
