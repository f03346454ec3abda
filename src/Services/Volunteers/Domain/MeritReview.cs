using System.Globalization;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Time;
using Platform.ServiceDefaults.Validation;

namespace Platform.Volunteers.Domain;

/// <summary>The titles of the monthly merit review (岗位争先月月评).</summary>
public enum MeritTitle
{
    /// <summary>行业能手</summary>
    IndustryExpert,
    /// <summary>优秀社区志愿者</summary>
    ExcellentCommunityVolunteer,
}

public enum MeritMonthStatus
{
    Open,
    /// <summary>Winners chosen; nothing about the month changes any more.</summary>
    Closed,
}

/// <summary>Why a winner ranked above the best nominee who did not win: the explanation of a tie-break.</summary>
public enum WinningMargin
{
    /// <summary>No scored nominee was left without a title.</summary>
    Unopposed,
    HigherAverage,
    /// <summary>Same average, scored by more reviewers.</summary>
    MoreScores,
    /// <summary>Same average and number of scores: the earlier nomination wins.</summary>
    EarlierNomination,
}

/// <summary>A review month, <c>yyyy-MM</c> in the city's calendar.</summary>
public readonly record struct ReviewMonth(int Year, int Month)
{
    public static bool TryParse(string? value, out ReviewMonth month)
    {
        if (DateOnly.TryParseExact(value?.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            month = new ReviewMonth(first.Year, first.Month);
            return true;
        }
        month = default;
        return false;
    }

    public static ReviewMonth Of(DateOnly date) => new(date.Year, date.Month);

    public DateOnly FirstDay => new(Year, Month, 1);

    public override string ToString() => FirstDay.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>
/// One month of the merit review. Nominations and scores come in while it is open; closing it picks the winners and
/// freezes everything about the month (409 afterwards).
/// </summary>
public sealed class MeritMonth
{
    /// <summary>The month as <c>yyyy-MM</c>.</summary>
    public string Id { get; private set; } = "";
    public MeritMonthStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public Guid? ClosedBy { get; private set; }

    private MeritMonth() { }

    public static MeritMonth Open(ReviewMonth month) => new() { Id = month.ToString(), Status = MeritMonthStatus.Open };

    public const string ClosedReason = "This month's merit review is closed; its nominations, scores and winners no longer change.";

    /// <summary>Refuses a change to a closed month.</summary>
    public Outcome<MeritMonth> EnsureOpen() =>
        Status == MeritMonthStatus.Open ? this : Refusal.Conflict(ClosedReason);

    /// <summary>
    /// Closes the month and picks, per title, the <paramref name="winnersPerTitle"/> nominations with the highest
    /// average score (only scored nominations compete). Ties are broken, in order, by more scores, then the earlier
    /// nomination (then its id, which is time-ordered), so the same scores always give the same winners; each
    /// winner records which of these put it above the best nominee left without the title.
    /// </summary>
    public Outcome<MeritMonth> Close(IReadOnlyList<MeritNomination> nominations, IReadOnlyCollection<MeritScore> scores,
        Func<MeritTitle, int> winnersPerTitle, Guid? closedBy, DateTimeOffset now)
    {
        if (Status == MeritMonthStatus.Closed)
        {
            return Refusal.Conflict(ClosedReason);
        }
        var byNomination = scores.GroupBy(s => s.NominationId).ToDictionary(g => g.Key, g => (Count: g.Count(), Total: g.Sum(s => s.Score)));
        foreach (var title in nominations.Where(n => n.Month == Id).GroupBy(n => n.Title))
        {
            var ranked = title
                .Select(n => (Nomination: n, Tally: byNomination.GetValueOrDefault(n.Id)))
                .Where(x => x.Tally.Count > 0)
                .Order(Comparer<(MeritNomination Nomination, (int Count, int Total) Tally)>.Create((a, b) => Compare(a.Nomination, a.Tally, b.Nomination, b.Tally)))
                .ToList();
            var places = Math.Max(0, winnersPerTitle(title.Key));
            for (var i = 0; i < ranked.Count; i++)
            {
                var (nomination, tally) = ranked[i];
                WinningMargin? margin = null;
                if (i < places)
                {
                    margin = places < ranked.Count ? MarginOver(tally, ranked[places].Tally) : WinningMargin.Unopposed;
                }
                nomination.Rank(i + 1, tally.Count, tally.Total, margin);
            }
        }
        Status = MeritMonthStatus.Closed;
        ClosedAt = now.ToDatabasePrecision();
        ClosedBy = closedBy;
        return this;
    }

    /// <summary>Negative when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    private static int Compare(MeritNomination a, (int Count, int Total) ta, MeritNomination b, (int Count, int Total) tb)
    {
        // Averages compared exactly: ta.Total / ta.Count against tb.Total / tb.Count, cross-multiplied.
        var byAverage = ((long)tb.Total * ta.Count).CompareTo((long)ta.Total * tb.Count);
        if (byAverage != 0)
        {
            return byAverage;
        }
        var byCount = tb.Count.CompareTo(ta.Count);
        if (byCount != 0)
        {
            return byCount;
        }
        var byTime = a.NominatedAt.CompareTo(b.NominatedAt);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }

    private static WinningMargin MarginOver((int Count, int Total) winner, (int Count, int Total) runnerUp)
    {
        if ((long)winner.Total * runnerUp.Count != (long)runnerUp.Total * winner.Count)
        {
            return WinningMargin.HigherAverage;
        }
        return winner.Count != runnerUp.Count ? WinningMargin.MoreScores : WinningMargin.EarlierNomination;
    }
}

/// <summary>A worker nominated for a title in a month. One nomination per worker, title and month: a worker wins a title at most once a month.</summary>
public sealed class MeritNomination
{
    public const int ReasonMaxLength = 500;

    public Guid Id { get; private set; }
    public string Month { get; private set; } = "";
    public MeritTitle Title { get; private set; }
    public Guid WorkerId { get; private set; }
    /// <summary>What the worker did to deserve it, in the nominator's words.</summary>
    public string Reason { get; private set; } = "";
    public Guid? NominatedBy { get; private set; }
    public DateTimeOffset NominatedAt { get; private set; }
    /// <summary>Set when the month closes: the place among the scored nominations of the title.</summary>
    public int? Place { get; private set; }
    public int? ScoreCount { get; private set; }
    public decimal? AverageScore { get; private set; }
    public bool Won { get; private set; }
    public WinningMargin? Margin { get; private set; }

    private MeritNomination() { }

    /// <summary>
    /// A nomination of <c>workerId</c>; <c>workerKnown</c>: the worker is registered here; <c>servesInCommunity</c>: the
    /// worker is reported in to a community (an excellent community volunteer must be).
    /// </summary>
    public static Validated<MeritNomination> Nominate(ReviewMonth month, MeritTitle? title, Guid? workerId, bool workerKnown, bool servesInCommunity,
        string? reason, Guid? nominatedBy, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var validTitle = errors.Required("title", title);
        var worker = errors.Required("workerId", workerId);
        var validReason = errors.Text("reason", reason, ReasonMaxLength);
        if (workerId is not null && !workerKnown)
        {
            errors.Add("workerId", "No registered worker with this id.");
        }
        else if (workerId is not null && title == MeritTitle.ExcellentCommunityVolunteer && !servesInCommunity)
        {
            errors.Add("workerId", "An excellent community volunteer must be reported in to a community.");
        }
        if (month.FirstDay > CityClock.DateOf(now))
        {
            errors.Add("month", "Nominations are for the current or a past month.");
        }
        if (errors.Any)
        {
            return Validated<MeritNomination>.Invalid(errors);
        }
        now = now.ToDatabasePrecision();
        return Validated<MeritNomination>.Ok(new MeritNomination
        {
            Id = Guid.CreateVersion7(now),
            Month = month.ToString(),
            Title = validTitle,
            WorkerId = worker,
            Reason = validReason,
            NominatedBy = nominatedBy,
            NominatedAt = now,
        });
    }

    internal void Rank(int place, int count, int total, WinningMargin? margin)
    {
        Place = place;
        ScoreCount = count;
        AverageScore = Math.Round((decimal)total / count, 2);
        Won = margin is not null;
        Margin = margin;
    }
}

/// <summary>One reviewer's score for one nomination (0 to 100); the reviewer may change it while the month is open.</summary>
public sealed class MeritScore
{
    public const int Max = 100;

    public Guid NominationId { get; private set; }
    public Guid ReviewerId { get; private set; }
    public int Score { get; private set; }
    public DateTimeOffset ScoredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    private MeritScore() { }

    public static FieldErrors Validate(int? score)
    {
        var errors = new FieldErrors();
        var value = errors.Required("score", score);
        if (score is not null && value is < 0 or > Max)
        {
            errors.Add("score", $"score must be between 0 and {Max}.");
        }
        return errors;
    }

    /// <summary>The reviewer's score, given or changed; call <see cref="Validate"/> first.</summary>
    public static MeritScore Give(Guid nominationId, Guid reviewerId, int score, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        return new MeritScore { NominationId = nominationId, ReviewerId = reviewerId, Score = score, ScoredAt = now, UpdatedAt = now };
    }

    public void Change(int score, DateTimeOffset now)
    {
        Score = score;
        UpdatedAt = now.ToDatabasePrecision();
    }
}
