using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Gateway.Security;
using Platform.ServiceDefaults.Security;
using Yarp.ReverseProxy;

namespace Platform.Gateway.Ledger;

/// <summary>Available false (with the reason) when the service did not answer in time, refused, or is not deployed.</summary>
public sealed record OrganizationsLedger(bool Available, string? Reason = null, int? Communities = null, int? Enterprises = null,
    int? EnterprisesCovered = null, int? Organizations = null, int? IndustryCommittees = null, int? PartyMembers = null,
    int? FallbackMembers = null, int? InspectionsCompleted = null, int? ProblemsFound = null, int? ProblemsSolved = null, int? Agreements = null);

public sealed record VolunteersLedger(bool Available, string? Reason = null, long? Workers = null, long? WorkersReportedIn = null,
    int? CommunitiesServed = null, long? PartyMembers = null, long? HazardReports = null, long? HazardsClosed = null,
    long? VanguardTeams = null, long? VanguardVolunteers = null);

public sealed record StationsLedger(bool Available, string? Reason = null, int? Stations = null, int? StationsWithAllSixCans = null,
    int? CheckInsLast30Days = null);

public sealed record TrainingLedger(bool Available, string? Reason = null, long? Courses = null, long? StudySessions = null,
    long? StudyAttendance = null, long? Articles = null, long? Enrolments = null, long? Completions = null, long? Certificates = null);

/// <summary>CounsellingSessions: legal and counselling cases (the report's "180+ sessions").</summary>
public sealed record RightsLedger(bool Available, string? Reason = null, int? CounsellingSessions = null, int? CasesOverdue = null,
    int? HotlineCalls = null, int? JointActivities = null, int? JointActivitiesHeld = null);

/// <summary>The city's headline figures the way the Langfang report gives them, one section per service.</summary>
public sealed record CityLedger(DateTimeOffset ComposedAt, OrganizationsLedger Organizations, VolunteersLedger Volunteers,
    StationsLedger Stations, TrainingLedger Training, RightsLedger Rights);

/// <summary>
/// <c>GET /api/ledger</c>: composed at the gateway from each service's own <c>/stats</c>, called in parallel with the
/// caller's token and a timeout each. A service that is stopped, slow or refuses is marked unavailable in its section;
/// the others still answer. Figures are aggregates only, but they are the city's working figures, not a publication:
/// operators, organization officers and supervisors read them, and each service still decides what the caller may see
/// (a section the caller's role may not read is marked "forbidden").
/// </summary>
public static partial class CityLedgerApi
{
    public const string Path = "/api/ledger";
    public const string HttpClientName = "city-ledger";

    public static IServiceCollection AddCityLedger(this IServiceCollection services)
    {
        // No retries: a stopped service must be reported at once, not after a retry schedule.
        // (Evaluation API of Microsoft.Extensions.Http.Resilience; the per-call timeout below bounds the call either way.)
#pragma warning disable EXTEXP0001
        services.AddHttpClient(HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    public static IEndpointRouteBuilder MapCityLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Get)
            .RequireRoles(PlatformRoles.Operator, PlatformRoles.OrgOfficer, PlatformRoles.Supervisor)
            .RequireRateLimiting(GatewayRateLimits.PerClient)
            .WithTags("City ledger")
            .WithName("GetCityLedger")
            .WithSummary("The city's headline figures, from every service's statistics")
            .WithDescription("Communities, enterprises and organizations; workers reported in and hazard reports; stations; courses, study sessions and articles; counselling sessions, hotline calls and joint activities. A service that does not answer within the timeout is marked available: false with the reason.");
        return app;
    }

    internal static async Task<Ok<CityLedger>> Get(HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients, IConfiguration configuration,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(configuration.GetValue<double?>("Platform:Ledger:TimeoutSeconds") ?? 10);
        var authorization = http.Request.Headers.Authorization.ToString();
        var logger = loggers.CreateLogger("Platform.Gateway.Ledger");

        Task<Fetched> Stats(string service) => FetchAsync(service, proxy, clients, authorization, timeout, logger, ct);
        var organizations = Stats("organizations");
        var volunteers = Stats("volunteers");
        var stations = Stats("stations");
        var training = Stats("training");
        var rights = Stats("rights");
        await Task.WhenAll(organizations, volunteers, stations, training, rights);

        return TypedResults.Ok(new CityLedger(clock.GetUtcNow(),
            Section(await organizations, reason => new OrganizationsLedger(false, reason), OrganizationsFrom),
            Section(await volunteers, reason => new VolunteersLedger(false, reason), VolunteersFrom),
            Section(await stations, reason => new StationsLedger(false, reason), StationsFrom),
            Section(await training, reason => new TrainingLedger(false, reason), TrainingFrom),
            Section(await rights, reason => new RightsLedger(false, reason), RightsFrom)));
    }

    private sealed record Fetched(JsonElement? Stats, string? Reason);

    private static T Section<T>(Fetched fetched, Func<string, T> unavailable, Func<JsonElement, T> from)
    {
        if (fetched.Stats is not { } stats)
        {
            return unavailable(fetched.Reason!);
        }
        try
        {
            return from(stats);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A service answering a shape the ledger does not know (an older or newer version) is not a ledger failure.
            return unavailable("unexpected statistics");
        }
    }

    private static async Task<Fetched> FetchAsync(string service, IProxyStateLookup proxy, IHttpClientFactory clients, string authorization,
        TimeSpan timeout, ILogger logger, CancellationToken ct)
    {
        var address = proxy.TryGetCluster(service, out var cluster) ? cluster.Model.Config.Destinations?.Values.FirstOrDefault()?.Address : null;
        if (address is null)
        {
            return new Fetched(null, "not deployed");
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            using var client = clients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/stats"));
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request, bounded.Token);
            if (!response.IsSuccessStatusCode)
            {
                var reason = response.StatusCode switch
                {
                    HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => "forbidden",
                    HttpStatusCode.ServiceUnavailable => "unavailable",
                    var status => $"status {(int)status}",
                };
                LogUnavailable(logger, service, reason);
                return new Fetched(null, reason);
            }
            await using var body = await response.Content.ReadAsStreamAsync(bounded.Token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: bounded.Token);
            return new Fetched(document.RootElement.Clone(), null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            var reason = e switch
            {
                OperationCanceledException => "timeout",
                HttpRequestException => "unreachable",
                _ => "unexpected statistics",
            };
            LogUnavailable(logger, service, reason);
            return new Fetched(null, reason);
        }
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static long SumOf(JsonElement dictionary) => dictionary.EnumerateObject().Sum(p => p.Value.GetInt64());

    private static long ValueOf(JsonElement dictionary, string key) => dictionary.TryGetProperty(key, out var value) ? value.GetInt64() : 0;

    private static OrganizationsLedger OrganizationsFrom(JsonElement s)
    {
        var kinds = s.GetProperty("organizations");
        return new OrganizationsLedger(true, null,
            Communities: Int(s, "communities"),
            Enterprises: Int(s, "enterprises"),
            EnterprisesCovered: Int(s, "enterprisesCovered"),
            Organizations: Int(kinds, "industryCommittees") + Int(kinds, "enterpriseCommittees") + Int(kinds, "generalBranches") + Int(kinds, "branches"),
            IndustryCommittees: Int(kinds, "industryCommittees"),
            PartyMembers: Int(s, "members"),
            FallbackMembers: Int(s, "fallbackMembers"),
            InspectionsCompleted: Int(s, "inspectionsCompleted"),
            ProblemsFound: Int(s, "problemsFound"),
            ProblemsSolved: Int(s, "problemsSolved"),
            Agreements: Int(s, "agreements"));
    }

    private static VolunteersLedger VolunteersFrom(JsonElement s) => new(true, null,
        Workers: Long(s, "workers"),
        WorkersReportedIn: s.GetProperty("workersByCommunity").EnumerateArray().Sum(c => c.GetProperty("workers").GetInt64()),
        CommunitiesServed: s.GetProperty("workersByCommunity").GetArrayLength(),
        PartyMembers: Long(s, "partyMembers"),
        HazardReports: Long(s, "hazardReports"),
        HazardsClosed: ValueOf(s.GetProperty("hazardsByStatus"), "closed"),
        VanguardTeams: Long(s, "vanguardTeams"),
        VanguardVolunteers: Long(s, "volunteers"));

    private static StationsLedger StationsFrom(JsonElement s) => new(true, null,
        Stations: Int(s, "activeStations"),
        StationsWithAllSixCans: Int(s, "stationsWithAllSixCans"),
        CheckInsLast30Days: Int(s, "checkIns"));

    private static TrainingLedger TrainingFrom(JsonElement s)
    {
        var enrolments = s.GetProperty("enrolments");
        return new TrainingLedger(true, null,
            Courses: SumOf(s.GetProperty("coursesByKind")),
            StudySessions: Long(s.GetProperty("studyActivities"), "count"),
            StudyAttendance: Long(s.GetProperty("studyActivities"), "attendance"),
            Articles: Long(s.GetProperty("articles"), "count"),
            Enrolments: Long(enrolments, "enrolled") + Long(enrolments, "completed"),
            Completions: Long(s, "completions"),
            Certificates: Long(s, "certificates"));
    }

    private static RightsLedger RightsFrom(JsonElement s) => new(true, null,
        CounsellingSessions: Int(s, "cases"),
        CasesOverdue: Int(s, "overdue"),
        HotlineCalls: Int(s, "hotlineCalls"),
        JointActivities: Int(s, "activitiesScheduled") + Int(s, "activitiesHeld"),
        JointActivitiesHeld: Int(s, "activitiesHeld"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "City ledger: the statistics of {Service} are unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string service, string reason);
}
