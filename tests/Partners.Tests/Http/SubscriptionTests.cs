using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts;
using Platform.Partners.Domain;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>Registration rules, ownership and the refusal of callbacks that point inside (SSRF).</summary>
public sealed class SubscriptionTests(LocalInfrastructure infrastructure) : PartnersApiTest(infrastructure)
{
    private const string HazardReportedType = PublicEventCatalogue.TypePrefix + "hazard.reported.v1";
    private static readonly string[] WithheldTypes = ["cn.langfang.platform.worker.registered.v1", "cn.langfang.platform.rights-case.opened.v1", "anything"];

    // Loopback is not allow-listed here: these tests are about what is refused without an operator's exception.
    protected override bool AllowLoopback => false;

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.16.5.4/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00:ec2::254]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://localhost:8443/hook")]
    [InlineData("https://0.0.0.0/hook")]
    public async Task A_callback_that_reaches_inside_is_refused(string url)
    {
        using var agency = await RegisterAgencyAsync();
        var response = await agency.PostAsJsonAsync("/subscriptions", new { eventTypes = new[] { HazardReportedType }, callbackUrl = url });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "callbackUrl");
        Assert.Contains("non-public", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://partner.example.org/hook", "https")]
    [InlineData("https://user:pass@partner.example.org/hook", "password")]
    [InlineData("ftp://partner.example.org/hook", "https")]
    [InlineData("not a url", "absolute")]
    public async Task A_callback_of_the_wrong_form_is_refused(string url, string reason)
    {
        using var agency = await RegisterAgencyAsync();
        var response = await agency.PostAsJsonAsync("/subscriptions", new { eventTypes = new[] { HazardReportedType }, callbackUrl = url });
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "callbackUrl");
        Assert.Contains(reason, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_s_allow_list_lets_a_local_receiver_in_and_removing_it_stops_delivery_at_connect_time()
    {
        var receiver = await StartReceiverAsync();
        using var agency = await RegisterAgencyAsync();
        (await Operator.PutAsync("/allowed-hosts/127.0.0.1", null)).EnsureSuccessStatusCode();
        var subscription = await SubscribeAsync(agency, receiver, [HazardReportedType], districts: [District]);

        // The host is taken off the list after registration (or its DNS now points inside): the delivery re-checks.
        (await Operator.DeleteAsync("/allowed-hosts/127.0.0.1")).EnsureSuccessStatusCode();
        await PublishAsync(Events.Hazard(District));

        var log = await Until(() => GetJsonAsync(agency, "/deliveries"),
            l => l.GetProperty("items").GetArrayLength() == 1 && l.GetProperty("items")[0].GetProperty("attempts").GetInt32() >= 1,
            "an attempt recorded");
        Assert.Contains("non-public", log.GetProperty("items")[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
        Assert.NotEqual(Guid.Empty, subscription);
    }

    [Fact]
    public async Task Event_types_must_come_from_the_public_catalogue_which_has_no_personal_events()
    {
        using var agency = await RegisterAgencyAsync();
        foreach (var type in WithheldTypes)
        {
            var response = await agency.PostAsJsonAsync("/subscriptions", new { eventTypes = new[] { type }, callbackUrl = "https://partner.example.org/hook" });
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "eventTypes");
        }
        using var anonymous = Service.CreateHttpClient();
        var catalogue = await GetJsonAsync(anonymous, "/catalogue");
        var types = catalogue.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains(HazardReportedType, types);
        Assert.Contains(PublicEventCatalogue.RightsCaseCountsType, types);
        Assert.DoesNotContain(types, t => t!.Contains("worker", StringComparison.Ordinal) || t.Contains("member", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_filter_that_cannot_apply_to_any_chosen_type_is_refused()
    {
        using var agency = await RegisterAgencyAsync();
        var response = await agency.PostAsJsonAsync("/subscriptions", new
        {
            eventTypes = new[] { PublicEventCatalogue.TypePrefix + "inspection.completed.v1" },
            districts = new[] { "广阳区" },
            callbackUrl = "https://partner.example.org/hook",
        });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "districts");
    }

    [Fact]
    public async Task An_agency_sees_only_its_own_subscriptions_and_deliveries()
    {
        var receiver = await StartReceiverAsync();
        (await Operator.PutAsync("/allowed-hosts/127.0.0.1", null)).EnsureSuccessStatusCode();
        using var owner = await RegisterAgencyAsync();
        using var other = await RegisterAgencyAsync();
        var subscription = await SubscribeAsync(owner, receiver, [HazardReportedType], districts: [District]);
        await PublishAsync(Events.Hazard(District));
        var log = await Until(() => GetJsonAsync(owner, "/deliveries"), l => l.GetProperty("total").GetInt32() == 1, "the owner's delivery");
        var delivery = log.GetProperty("items")[0].GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/subscriptions/{subscription}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/subscriptions/{subscription}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/subscriptions/{subscription}/secret/rotate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/deliveries/{delivery}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/deliveries/{delivery}/replay", null)).StatusCode);
        Assert.Equal(0, (await GetJsonAsync(other, "/deliveries")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetJsonAsync(other, "/subscriptions")).GetProperty("total").GetInt32());
        // The operator sees everyone's deliveries.
        Assert.Equal(1, (await GetJsonAsync(Operator, $"/deliveries?subscriptionId={subscription}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Only_operators_register_agencies_and_allow_hosts_and_an_unregistered_client_has_no_agency()
    {
        using var agency = await RegisterAgencyAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.PostAsJsonAsync("/agencies", new { name = "x", clientId = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.PutAsync("/allowed-hosts/10.0.0.1", null)).StatusCode);
        using var worker = Service.CreateHttpClient(TestTokens.For(PlatformRoles.Worker));
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/subscriptions")).StatusCode);
        using var anonymous = Service.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/deliveries")).StatusCode);
        using var stranger = AgencyClient("never-registered");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/agencies/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agency.GetAsync("/agencies/me")).StatusCode);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("clientId")]
    public async Task An_agency_field_with_a_nul_is_a_400_naming_it_and_registers_nothing(string field)
    {
        var clientId = "nul-" + District;
        var body = $$"""{"name":"{{(field == "name" ? "红十字\\u0000会" : "红十字会")}}","clientId":"{{clientId}}{{(field == "clientId" ? "\\u0000" : "")}}"}""";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await Operator.PostAsync(new Uri("/agencies", UriKind.Relative), content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal([field], ProblemAssert.ErrorFields(problem));
        var agencies = await GetJsonAsync(Operator, "/agencies?pageSize=200");
        Assert.DoesNotContain(agencies.GetProperty("items").EnumerateArray(), a => a.GetProperty("clientId").GetString()!.StartsWith(clientId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allowing_the_same_host_many_times_at_once_answers_each_time()
    {
        // Found by the fuzz run: two simultaneous PUTs of one host both inserted it, and the second was a 500.
        var host = $"receiver-{Guid.NewGuid():N}.local";
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Operator.PutAsync(new Uri($"/allowed-hosts/{host}", UriKind.Relative), null)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var hosts = await Operator.GetStringAsync(new Uri("/allowed-hosts", UriKind.Relative));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(hosts, host));
        (await Operator.DeleteAsync(new Uri($"/allowed-hosts/{host}", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_route_value_with_a_control_character_is_a_400_naming_it()
    {
        using var response = await Operator.PutAsync(new Uri("/allowed-hosts/receiver%01.local", UriKind.Relative), null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "host");
        var hosts = await Operator.GetStringAsync(new Uri("/allowed-hosts", UriKind.Relative));
        Assert.DoesNotContain("receiver", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_value_with_a_nul_is_refused_before_it_reaches_the_service()
    {
        // Kestrel itself refuses a request target with a NUL (a plain 400, before any middleware runs).
        using var response = await Operator.PutAsync(new Uri("/allowed-hosts/receiver%00.local", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var hosts = await Operator.GetStringAsync(new Uri("/allowed-hosts", UriKind.Relative));
        Assert.DoesNotContain("receiver", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_client_cannot_be_registered_twice()
    {
        var response = await Operator.PostAsJsonAsync("/agencies", new { name = "红十字会", clientId = "red-cross-" + District });
        response.EnsureSuccessStatusCode();
        var again = await Operator.PostAsJsonAsync("/agencies", new { name = "红十字会", clientId = "red-cross-" + District });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_subscription_cannot_be_created_with_server_owned_fields()
    {
        using var agency = await RegisterAgencyAsync();
        var response = await agency.PostAsJsonAsync("/subscriptions", new
        {
            eventTypes = new[] { HazardReportedType },
            callbackUrl = "https://partner.example.org/hook",
            agencyId = Guid.NewGuid(),
        });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
