using Platform.ServiceDefaults.Validation;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Domain;

public sealed class MeritReviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly ReviewMonth November = new(2026, 11);

    private static MeritNomination Nominate(MeritTitle title = MeritTitle.IndustryExpert, int minutesLater = 0) =>
        MeritNomination.Nominate(November, title, Guid.NewGuid(), true, true, "全月零投诉", Guid.NewGuid(), Now.AddMinutes(minutesLater)).Value!;

    private static IEnumerable<MeritScore> Scores(MeritNomination n, params int[] scores) =>
        scores.Select(s => MeritScore.Give(n.Id, Guid.NewGuid(), s, Now));

    private static MeritMonth Closed(IReadOnlyList<MeritNomination> nominations, IEnumerable<MeritScore> scores, int winners = 1)
    {
        var month = MeritMonth.Open(November);
        Assert.Null(month.Close(nominations, scores.ToList(), _ => winners, null, Now.AddDays(11)).Refusal);
        return month;
    }

    [Fact]
    public void The_highest_average_wins_and_an_unscored_nomination_cannot()
    {
        var a = Nominate();
        var b = Nominate(minutesLater: 1);
        var unscored = Nominate(minutesLater: 2);

        Closed([a, b, unscored], [.. Scores(a, 80, 90), .. Scores(b, 95, 70, 60)]);

        Assert.Equal((true, 1, 85m, WinningMargin.HigherAverage), (a.Won, a.Place, a.AverageScore, a.Margin));
        Assert.Equal((false, 2, 75m), (b.Won, b.Place, b.AverageScore));
        Assert.Equal((false, (int?)null), (unscored.Won, unscored.Place));
    }

    [Fact]
    public void A_tie_on_average_goes_to_more_scores_then_to_the_earlier_nomination()
    {
        var fewer = Nominate();
        var more = Nominate(minutesLater: 1);
        Closed([fewer, more], [.. Scores(fewer, 90), .. Scores(more, 80, 100)]);
        Assert.Equal((true, WinningMargin.MoreScores), (more.Won, more.Margin));
        Assert.False(fewer.Won);

        var later = Nominate(minutesLater: 5);
        var earlier = Nominate(minutesLater: 1);
        Closed([later, earlier], [.. Scores(later, 70, 80), .. Scores(earlier, 75, 75)]);
        Assert.Equal((true, WinningMargin.EarlierNomination), (earlier.Won, earlier.Margin));
        Assert.False(later.Won);
    }

    [Fact]
    public void Each_title_has_its_own_winners_as_many_as_configured()
    {
        var experts = Enumerable.Range(0, 4).Select(i => Nominate(minutesLater: i)).ToList();
        var volunteer = Nominate(MeritTitle.ExcellentCommunityVolunteer);
        Closed([.. experts, volunteer], [.. experts.SelectMany((n, i) => Scores(n, 60 + i * 10)), .. Scores(volunteer, 10)], winners: 2);

        Assert.Equal([false, false, true, true], experts.Select(n => n.Won));
        Assert.Equal((true, WinningMargin.Unopposed), (volunteer.Won, volunteer.Margin));
    }

    [Fact]
    public void A_closed_month_refuses_every_change()
    {
        var month = Closed([], []);

        Assert.Equal(MeritMonthStatus.Closed, month.Status);
        Assert.Equal(RefusalKind.Conflict, month.EnsureOpen().Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, month.Close([], [], _ => 1, null, Now).Refusal?.Kind);
    }

    [Fact]
    public void Nominations_are_checked_field_by_field()
    {
        var future = MeritNomination.Nominate(new ReviewMonth(2026, 12), MeritTitle.IndustryExpert, Guid.NewGuid(), true, true, "好", null, Now);
        Assert.Contains("month", future.Errors.Keys);
        var notServing = MeritNomination.Nominate(November, MeritTitle.ExcellentCommunityVolunteer, Guid.NewGuid(), true, false, "好", null, Now);
        Assert.Contains("workerId", notServing.Errors.Keys);
        Assert.True(MeritNomination.Nominate(November, MeritTitle.IndustryExpert, Guid.NewGuid(), true, false, "好", null, Now).IsValid);
        var empty = MeritNomination.Nominate(November, null, null, false, false, null, null, Now);
        Assert.Equal(["reason", "title", "workerId"], empty.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("score", MeritScore.Validate(101).ToDictionary().Keys);
        Assert.False(MeritScore.Validate(0).Any);
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("26-11", false)]
    [InlineData("2026-11-01", false)]
    public void A_month_is_written_yyyy_MM(string text, bool valid)
    {
        Assert.Equal(valid, ReviewMonth.TryParse(text, out _));
    }
}
