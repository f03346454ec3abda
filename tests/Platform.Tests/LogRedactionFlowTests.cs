using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Tests;

/// <summary>
/// A worker's whole first day through the gateway (phone-code sign-in, registration with name, phone and ID number,
/// report-in, a hazard report), then every console line of every service and the gateway is searched: the person
/// appears only as the mask the development code sender shows.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LogRedactionFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Resources = [.. PlatformFixture.DomainServices, "identity", "gateway"];

    [Fact]
    public async Task A_worker_s_first_day_leaves_no_name_phone_or_ID_number_in_any_service_log()
    {
        const string name = "慕容晓晓";
        const string idNumber = "11010519491231002X";
        var phone = "136" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var communityId = await CreatedIdAsync(platform.Operator, "/api/organizations/communities",
            new { name = $"日志社区-{Guid.NewGuid():N}"[..16], district = "广阳区", street = "新华路街道", latitude = 39.52, longitude = 116.70 });
        var enterpriseId = await CreatedIdAsync(platform.Operator, "/api/organizations/enterprises",
            new { name = $"骑手之家-{Guid.NewGuid():N}"[..14], creditCode = NewCreditCode(), industry = "express", district = "广阳区" });

        // Sign in as a developer does locally: the code is in the answer (and in identity's log, masked).
        using (var sent = await platform.Gateway.PostAsJsonAsync("/api/identity/phone-codes", new { phone }))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
            var code = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
            var (status, body) = await platform.TokenRequestAsync(("grant_type", "urn:platform:grant-type:phone-code"), ("client_id", "platform-app"),
                ("phone", phone), ("code", code));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            using var worker = platform.ClientWithToken(body.GetProperty("access_token").GetString()!);

            // The enterprise and the community reach volunteers as events: retry registration until they have.
            await UntilAsync(async () =>
            {
                using var registered = await worker.PostAsJsonAsync("/api/volunteers/workers/me", new
                {
                    name, phone = $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}", idNumber, occupation = "food-delivery-rider", enterpriseId, partyMember = false,
                });
                return registered.StatusCode == HttpStatusCode.Created;
            }, "the worker registered once the enterprise reached volunteers");
            await UntilAsync(async () =>
            {
                using var requested = await worker.PostAsJsonAsync("/api/volunteers/workers/me/report-ins", new { communityId });
                return requested.StatusCode == HttpStatusCode.Created;
            }, "the report-in accepted once the community reached volunteers");
            using var hazard = await worker.PostAsJsonAsync("/api/volunteers/hazard-reports",
                new { category = "broken-manhole-cover", latitude = 39.5201, longitude = 116.7001, description = "井盖缺失，骑手差点摔倒" });
            Assert.True(hazard.StatusCode == HttpStatusCode.Created, await hazard.Content.ReadAsStringAsync());
        }

        // The code line proves the console logs are read; it shows the mask, which is allowed.
        var codeLine = await platform.FindLogLineAsync("identity", PropagationTimeout, "One-time sign-in code", $"{phone[..3]}****{phone[7..]}");
        Assert.True(codeLine is not null, "identity's development code line with the masked number was not found.");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the last lines of the flow reach the watchers
        foreach (var written in new[] { name, phone, phone[3..], $"{phone[3..7]} {phone[7..]}", idNumber, idNumber[..17] })
        {
            foreach (var resource in Resources)
            {
                var lines = platform.LogLines(resource, written);
                Assert.True(lines.Length == 0, $"\"{written}\" is in {resource}'s log:{Environment.NewLine}{lines}");
            }
        }
    }

    private static async Task<Guid> CreatedIdAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + PropagationTimeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {PropagationTimeout.TotalSeconds} s: {what}.");
            await Task.Delay(250);
        }
    }

    /// <summary>A unified social credit code (GB 32100-2015) with a valid check character, unique per call.</summary>
    private static string NewCreditCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var first17 = "91131000" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += alphabet.IndexOf(first17[i], StringComparison.Ordinal) * weights[i];
        }
        var check = 31 - (sum % 31);
        return first17 + alphabet[check == 31 ? 0 : check];
    }
}
