using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>
/// A captured delivery is checked by the npm <c>standardwebhooks</c> package, the Standard Webhooks authors' own
/// verifier, run with Node.js (the test command installs it with <c>npm ci</c>): proof that an agency on another
/// stack accepts our signatures, including both signatures during a secret rotation.
/// </summary>
public sealed class NpmVerifierTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    private const string HazardReportedType = PublicEventCatalogue.TypePrefix + "hazard.reported.v1";

    [Fact]
    public async Task The_npm_standardwebhooks_package_verifies_a_captured_delivery_with_either_secret_during_a_rotation()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        var subscription = await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);
        var oldSecret = receiver.Secrets[0];
        var rotation = await agency.PostAsJsonAsync($"/subscriptions/{subscription}/secret/rotate", new { overlapHours = 1 });
        var newSecret = (await rotation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        receiver.Secrets = [oldSecret, newSecret];

        await PublishAsync(Events.Hazard(District));
        await Until(() => Task.FromResult(receiver.AcceptedCount), n => n == 1, "the delivery");
        var webhook = receiver.Received[0];

        Assert.Equal(0, await VerifyWithNpmAsync(webhook, oldSecret));
        Assert.Equal(0, await VerifyWithNpmAsync(webhook, newSecret));
        Assert.Equal(1, await VerifyWithNpmAsync(webhook, WebhookSignature.NewSecret()));
        Assert.Equal(1, await VerifyWithNpmAsync(webhook with { Body = webhook.Body.Replace("manhole-cover", "fallen-tree", StringComparison.Ordinal) }, newSecret));
    }

    private static async Task<int> VerifyWithNpmAsync(ReceivedWebhook webhook, string secret)
    {
        var verifier = VerifierDirectory();
        var capture = Path.Combine(Path.GetTempPath(), $"delivery-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(capture, JsonSerializer.Serialize(new
        {
            secret,
            id = webhook.Id,
            timestamp = webhook.Timestamp,
            signature = webhook.Signature,
            body = webhook.Body,
        }));
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(verifier, "verify.mjs"), capture])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = verifier,
            }) ?? throw new InvalidOperationException("node did not start.");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = node.StandardError.ReadToEndAsync(timeout.Token);
            await node.WaitForExitAsync(timeout.Token);
            Assert.True(node.ExitCode is 0 or 1, $"The verifier failed to run: {await output} {await errors}");
            return node.ExitCode;
        }
        finally
        {
            File.Delete(capture);
        }
    }

    /// <summary>tests/Partners.Tests/verifier in the source tree, where the test command ran <c>npm ci</c>.</summary>
    private static string VerifierDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Partners.Tests", "verifier");
            if (File.Exists(Path.Combine(candidate, "verify.mjs")))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules", "standardwebhooks")),
                    $"Run `npm ci --prefix {candidate}` first (the README's test command does).");
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/Partners.Tests/verifier not found above " + AppContext.BaseDirectory);
    }
}
