using Platform.DemoCity;

namespace Platform.Tests;

/// <summary>The demo city's history as planned (no platform needed): months of it, at the report's figures, deterministic.</summary>
public sealed class CityPlanHistoryTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(PlatformFixture.DemoScale)]
    public void Hazards_and_cases_span_months_most_are_closed_and_every_step_lies_before_the_load(double scale)
    {
        var plan = new CityPlan(scale);
        var hazards = plan.Hazards.ToList();
        var cases = plan.Cases.ToList();

        Assert.True(hazards.Max(h => h.HoursAgo) > 90 * 24, $"The oldest hazard is {hazards.Max(h => h.HoursAgo) / 24} days old.");
        Assert.True(cases.Max(c => c.HoursAgo) > 30 * 24 || cases.All(c => c.Outcome != "resolved"), $"The oldest case is {cases.Max(c => c.HoursAgo) / 24} days old.");
        Assert.All(hazards, h => Assert.InRange(h.HoursAgo, (h.StepHours.LastOrDefault()) + 1, CityPlan.HistoryHours));
        Assert.All(cases, c => Assert.InRange(c.HoursAgo, (c.StepHours.LastOrDefault()) + 1, CityPlan.HistoryHours));
        Assert.All(hazards, h => Assert.Equal(h.StepHours.Order(), h.StepHours));
        Assert.True(hazards.Count(h => h.Outcome == "closed") * 2 > hazards.Count);
        Assert.True(cases.Count(c => c.Outcome == "resolved") * 2 > cases.Count);
        Assert.Equal(25, plan.Activities.Count);
        Assert.All(plan.Activities, a => Assert.Equal(a.InDays < 0, a.Participants is not null));
        Assert.Equal(25 - CityPlan.UpcomingActivities, plan.Activities.Count(a => a.Participants is not null));
    }

    [Fact]
    public void The_report_scale_plan_keeps_the_report_figures_and_the_same_plan_gives_the_same_history()
    {
        var (plan, again) = (new CityPlan(), new CityPlan());

        Assert.Equal((CityPlan.ReportHazards, CityPlan.ReportCases), (plan.Hazards.Count(), plan.Cases.Count()));
        Assert.True(plan.Hazards.Count() >= 600 && plan.Cases.Count() >= 180);
        Assert.Equal(plan.Hazards.Select(h => (h.HoursAgo, string.Join(',', h.StepHours))), again.Hazards.Select(h => (h.HoursAgo, string.Join(',', h.StepHours))));
        Assert.Equal(plan.Cases.Select(c => (c.HoursAgo, string.Join(',', c.StepHours))), again.Cases.Select(c => (c.HoursAgo, string.Join(',', c.StepHours))));
    }
}
