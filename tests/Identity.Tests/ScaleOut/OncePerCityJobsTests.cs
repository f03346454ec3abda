using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Platform.Identity.Application;
using Platform.Identity.Tests.Http;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.ScaleOut;

/// <summary>
/// Jobs that must run once for the city, not once per instance, with two instances of identity on one database and one
/// clock moved hour by hour: identity-housekeeping (pruning expired tokens and old codes) runs once an hour, by whichever
/// instance takes the hour's lease.
/// </summary>
public sealed class OncePerCityJobsTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    private const int Hours = 3;

    [Fact]
    public async Task Identity_housekeeping_runs_once_an_hour_for_the_city_with_two_instances()
    {
        using var byFirst = Service.Services.Collect<long>(CityJobs.MeterName, "platform.jobs.rounds");
        await using var second = StartService(new Dictionary<string, string>
        {
            ["ConnectionStrings:identity-db"] = Service.DatabaseConnectionString,
            [PersonalDataProtector.KeySetting] = Service.PersonalDataKey,
        });
        await second.StartAsync();
        using var bySecond = second.Services.Collect<long>(CityJobs.MeterName, "platform.jobs.rounds");

        // The first hour only settles who checked what while starting; each hour after it is counted on its own.
        await NextHourAsync(byFirst, bySecond, 0);
        for (var hour = 1; hour <= Hours; hour++)
        {
            var before = Ran(byFirst) + Ran(bySecond);
            await NextHourAsync(byFirst, bySecond, hour);

            Assert.Equal(1, Ran(byFirst) + Ran(bySecond) - before);
        }
        Assert.Equal(0, Rounds(byFirst, "failed") + Rounds(bySecond, "failed"));
    }

    /// <summary>
    /// Moves the shared clock an hour on and waits until the hour's run is done and both instances checked the job
    /// since (a check of the hour before may still have been finishing when the clock moved, so a check alone does not
    /// say the hour was decided).
    /// </summary>
    private async Task NextHourAsync(MetricCollector<long> byFirst, MetricCollector<long> bySecond, int hour)
    {
        var (firstChecks, secondChecks, runs) = (Rounds(byFirst), Rounds(bySecond), Ran(byFirst) + Ran(bySecond));
        Clock.Advance(Housekeeping.Period);
        await Eventually.Until(_ => Task.FromResult((Rounds(byFirst), Rounds(bySecond), Ran(byFirst) + Ran(bySecond))),
            n => n.Item1 > firstChecks && n.Item2 > secondChecks && n.Item3 > runs, $"the housekeeping of hour {hour}");
    }

    private static long Ran(MetricCollector<long> rounds) => Rounds(rounds, "ran");

    private static long Rounds(MetricCollector<long> rounds, string? outcome = null) =>
        rounds.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["job"], Housekeeping.Job) && (outcome is null || Equals(m.Tags["outcome"], outcome)))
            .Sum(m => m.Value);
}
