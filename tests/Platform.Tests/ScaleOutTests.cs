using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Tests;

/// <summary>
/// A service scaled out by the app host's setting (<c>Platform:Instances:training=2</c>, as
/// <c>Platform__Instances__training=2 ./run.sh</c>): the operator sees two training resources, and the gateway keeps
/// answering through the second while the first is stopped.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ScaleOutTests(PlatformFixture platform)
{
    private static readonly TimeSpan ResourceTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task With_two_training_instances_reads_through_the_gateway_go_on_while_the_first_is_stopped()
    {
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.Equal(["training", "training-2"], model.Resources.OfType<ProjectResource>().Select(r => r.Name).Where(n => n.StartsWith("training", StringComparison.Ordinal)).Order());
        Assert.Equal(HttpStatusCode.OK, await ReadCoursesAsync());

        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using (var timeout = new CancellationTokenSource(ResourceTimeout))
        {
            var stopped = await commands.ExecuteCommandAsync("training", KnownResourceCommands.StopCommand, timeout.Token);
            Assert.True(stopped.Success, stopped.Message);
            await platform.App.ResourceNotifications.WaitForResourceAsync("training",
                e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), timeout.Token);
        }
        try
        {
            var answers = new List<HttpStatusCode>();
            for (var i = 0; i < 50; i++)
            {
                answers.Add(await ReadCoursesAsync());
            }
            Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        }
        finally
        {
            using var timeout = new CancellationTokenSource(ResourceTimeout);
            var started = await commands.ExecuteCommandAsync("training", KnownResourceCommands.StartCommand, timeout.Token);
            Assert.True(started.Success, started.Message);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("training", timeout.Token);
        }
    }

    private async Task<HttpStatusCode> ReadCoursesAsync()
    {
        using var response = await platform.Operator.GetAsync(new Uri("/api/training/courses", UriKind.Relative));
        return response.StatusCode;
    }
}
