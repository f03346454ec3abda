using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Geography;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

/// <summary>One step of an imported report's status history: the status it took, when, and the notes (closing notes, rejection reason).</summary>
public sealed record HistoricalStatus(HazardStatus? Status, DateTimeOffset? At, string? Notes);

/// <summary>One report of the earlier ledger as an operator sends it.</summary>
public sealed record HistoricalHazard(
    string? ExternalId, HazardCategory? Category, double? Latitude, double? Longitude, string? Description,
    DateTimeOffset? ReportedAt, IReadOnlyList<HistoricalStatus>? History);

/// <summary>A ledger report that passed the checks, ready to be routed and built.</summary>
public sealed record CheckedHazard(
    int Index, string ExternalId, HazardCategory Category, GeoPoint Position, string? Description, DateTimeOffset ReportedAt,
    IReadOnlyList<(HazardStatus Status, DateTimeOffset At, string? Notes)> History);

/// <summary>
/// The rules of taking over history from the city's earlier ledger (spreadsheets, the old 12345 system): bounded
/// batches, times in the past and in order, no older than <see cref="FieldErrors.MaxHistoryAge"/>. Field names in errors point into the
/// batch (<c>reports[3].history[1].at</c>).
/// </summary>
public static class HazardImport
{
    /// <summary>
    /// Reports per call: a ledger is sent in batches of this size, each batch checked whole before any report is
    /// kept (one bad row refuses the batch, naming the row) and kept in one transaction.
    /// </summary>
    public const int MaxBatch = 200;
    public const int ExternalIdMaxLength = 100;
    /// <summary>More steps than open, acknowledged, in progress, closed cannot follow the workflow.</summary>
    private const int MaxSteps = 3;
    private static readonly RoutedTo Unrouted = new(HazardRouting.UnknownDistrict, null, "");

    public static IReadOnlyList<CheckedHazard> Check(IReadOnlyList<HistoricalHazard?>? reports, DateTimeOffset now, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (reports is null || reports.Count == 0)
        {
            errors.Add("reports", "reports must hold at least one report.");
            return [];
        }
        if (reports.Count > MaxBatch)
        {
            errors.Add("reports", $"reports must hold at most {MaxBatch} reports per call; send the ledger in batches.");
            return [];
        }
        now = now.ToDatabasePrecision();
        var checkedReports = new List<CheckedHazard>(reports.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < reports.Count; i++)
        {
            var field = $"reports[{i}]";
            if (reports[i] is not { } r)
            {
                errors.Add(field, $"{field} is required.");
                continue;
            }
            var externalId = errors.Text($"{field}.externalId", r.ExternalId, ExternalIdMaxLength);
            if (externalId.Length > 0 && !seen.Add(externalId))
            {
                errors.Add($"{field}.externalId", $"{field}.externalId appears twice in this batch.");
            }
            var category = errors.Required($"{field}.category", r.Category);
            var position = errors.Position(r.Latitude, r.Longitude, $"{field}.latitude", $"{field}.longitude");
            var description = errors.OptionalText($"{field}.description", r.Description, HazardReport.DescriptionMaxLength);
            var reportedAt = errors.PastTime($"{field}.reportedAt", r.ReportedAt, now);
            var history = CheckHistory(field, r.History, reportedAt, now, errors);
            var hazard = new CheckedHazard(i, externalId, category, position, description, reportedAt, history);
            // The workflow rules (no skipped steps, notes to close) on a trial copy, so one answer lists every problem.
            if (r.ReportedAt is not null)
            {
                Build(hazard, Unrouted, errors);
            }
            checkedReports.Add(hazard);
        }
        return checkedReports;
    }

    /// <summary>Each step's time is not before the one before it (the first not before the report) and not in the future.</summary>
    private static List<(HazardStatus, DateTimeOffset, string?)> CheckHistory(
        string field, IReadOnlyList<HistoricalStatus?>? history, DateTimeOffset reportedAt, DateTimeOffset now, FieldErrors errors)
    {
        var steps = new List<(HazardStatus, DateTimeOffset, string?)>();
        if (history is null)
        {
            return steps;
        }
        if (history.Count > MaxSteps)
        {
            errors.Add($"{field}.history", $"{field}.history has at most {MaxSteps} steps (acknowledged, in-progress, closed; or rejected earlier).");
            return steps;
        }
        var previous = reportedAt;
        for (var j = 0; j < history.Count; j++)
        {
            var step = $"{field}.history[{j}]";
            if (history[j] is not { } h)
            {
                errors.Add(step, $"{step} is required.");
                continue;
            }
            var status = errors.Required($"{step}.status", h.Status);
            var at = errors.Required($"{step}.at", h.At).ToDatabasePrecision();
            if (h.At is not null)
            {
                if (at > now)
                {
                    errors.Add($"{step}.at", $"{step}.at must not be in the future.");
                }
                else if (at < previous)
                {
                    errors.Add($"{step}.at", j == 0
                        ? $"{step}.at must not be before the report's reportedAt."
                        : $"{step}.at must not be before the step before it ({field}.history[{j - 1}].at).");
                }
                previous = at > previous ? at : previous;
            }
            steps.Add((status, at, h.Notes));
        }
        return steps;
    }

    /// <summary>
    /// Builds the report and replays its history through the same workflow rules as live changes (no skipped steps,
    /// notes to close, a reason to reject). Refusals name the step.
    /// </summary>
    public static HazardReport Build(CheckedHazard hazard, RoutedTo route, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(hazard);
        ArgumentNullException.ThrowIfNull(errors);
        var report = HazardReport.Import(hazard.Category, hazard.Position, hazard.Description, route, hazard.ReportedAt, hazard.ExternalId);
        for (var j = 0; j < hazard.History.Count; j++)
        {
            var (status, at, notes) = hazard.History[j];
            var step = $"reports[{hazard.Index}].history[{j}]";
            var changed = report.ChangeStatus(status, notes, HazardActor.Ledger, at);
            if (changed.Refusal?.Errors is { } invalid)
            {
                foreach (var (name, messages) in invalid)
                {
                    foreach (var message in messages)
                    {
                        errors.Add($"{step}.{name}", $"{step}: {message}");
                    }
                }
                break;
            }
            if (changed.Refusal is { } refused)
            {
                errors.Add($"{step}.status", $"{step}: {refused.Title}");
                break;
            }
        }
        return report;
    }
}
