using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.ServiceDefaults.Time;

namespace Platform.DemoCity;

/// <summary>The services the demo city is loaded into, each called directly (service discovery), not through the gateway.</summary>
public sealed record PlatformServices(
    ServiceClient Identity, ServiceClient Organizations, ServiceClient Volunteers, ServiceClient Stations, ServiceClient Training, ServiceClient Rights);

public sealed class DemoOptions
{
    /// <summary>Fraction of the report's per-person figures (1 = the report's scale).</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>How many requests (worker sign-ups mostly) run at once.</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>The bootstrap operator's password file (<c>.data/operator.password</c> in a local run).</summary>
    public string? OperatorPasswordFile { get; set; }

    public string? OperatorPassword { get; set; }

    /// <summary>How long the whole load may take; unset: 20 minutes, and 20 more for every report-sized city above one.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How often a long phase logs how far it got.</summary>
    public TimeSpan ProgressEvery { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LoadTimeout => Timeout ?? TimeSpan.FromMinutes(20 * Math.Max(1, Scale));
}

/// <summary>What a load did: how many records it created now and how many were there already.</summary>
public sealed record LoadSummary(TimeSpan Elapsed, IReadOnlyDictionary<string, (int Created, int Existing)> Records);

/// <summary>
/// Loads the demo city through the services' public APIs only, with real tokens from identity: the operator (password
/// grant), staff users it creates through identity's admin API, and workers through the phone one-time-code grant.
/// Idempotent: every creating call carries an Idempotency-Key derived from the plan (a second load gets the first
/// answers back and creates nothing), and workers already reported in to their community (found by their masked phone
/// in the community's worker list) are not signed in again. The city's history (hazard reports and cases over the last
/// six months, activities held) goes through the services' import endpoints, found again by its ledger ids.
/// </summary>
public sealed partial class DemoLoader(PlatformServices services, CityPlan plan, DemoOptions options, ILogger<DemoLoader> logger)
{
    private const string KeyPrefix = "demo-city-v1";
    private readonly ConcurrentDictionary<string, (int Created, int Existing)> _records = new();
    /// <summary>The history's times are relative to this moment (the plan's hours before the load).</summary>
    private readonly DateTimeOffset _loadedAt = DateTimeOffset.UtcNow;
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, Guid> _staffIds = new();
    private Guid[] _communities = [];
    private Guid[] _enterprises = [];
    private Guid[] _organizations = [];
    private Guid[] _stations = [];
    private string _operatorPassword = "";

    public async Task<LoadSummary> LoadAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        _operatorPassword = options.OperatorPassword ?? (options.OperatorPasswordFile is { } file
            ? (await File.ReadAllTextAsync(file, ct)).Trim()
            : throw new DemoLoadException("Give DemoData:OperatorPassword or DemoData:OperatorPasswordFile (the bootstrap operator's password)."));
        _tokens["operator"] = await PasswordTokenAsync("operator", _operatorPassword, ct);

        await Phase("staff users", () => EnsureStaffAsync(plan.Staff.Where(s => s.Role != "community-staff"), ct));
        await Phase("communities", () => CommunitiesAsync(ct));
        await Phase("community staff", () => EnsureStaffAsync(plan.Staff.Where(s => s.Role == "community-staff"), ct));
        await Phase("enterprises", () => EnterprisesAsync(ct));
        await Phase("organizations", () => OrganizationsAsync(ct));
        await Phase("community copies", () => WaitForCopiesAsync(ct));
        await Phase("stations", () => StationsAsync(ct));
        await Phase("training", () => TrainingAsync(ct));
        await Phase("professionals", () => ProfessionalsAsync(ct));
        await Phase("workers", () => WorkersAsync(ct));
        await Phase("hazard history", () => HazardHistoryAsync(ct));
        await Phase("vanguard teams", () => VanguardTeamsAsync(ct));
        await Phase("hotline and activities", () => RightsAsync(ct));
        return new LoadSummary(clock.Elapsed, _records.ToDictionary());
    }

    private async Task Phase(string name, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run();
        LogPhase(logger, name, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Counts a record as created, or as existing when the answer was a replay or a 409 (or a 200 where 201 means new).</summary>
    /// <summary>Counts the records of an import answer: created by this call, or imported before.</summary>
    private void CountImported(string kind, Answer answer, string list)
    {
        foreach (var record in answer.Body.GetProperty(list).EnumerateArray())
        {
            var created = record.GetProperty("created").GetBoolean();
            _records.AddOrUpdate(kind, _ => created ? (1, 0) : (0, 1), (_, c) => created ? (c.Created + 1, c.Existing) : (c.Created, c.Existing + 1));
        }
    }

    private void Count(string kind, Answer answer, bool okMeansExisting = false)
    {
        var existing = answer.Replayed || answer.Status == HttpStatusCode.Conflict || (okMeansExisting && answer.Status == HttpStatusCode.OK);
        _records.AddOrUpdate(kind, _ => existing ? (0, 1) : (1, 0), (_, c) => existing ? (c.Created, c.Existing + 1) : (c.Created + 1, c.Existing));
    }

    private static string Key(string kind, int index) => $"{KeyPrefix}:{kind}:{index}";

    // ---- identity -------------------------------------------------------------------------------------------

    private async Task<string> PasswordTokenAsync(string userName, string password, CancellationToken ct)
    {
        var answer = await services.Identity.PostFormAsync("/connect/token",
        [
            new("grant_type", "password"), new("client_id", "platform-app"), new("username", userName), new("password", password),
        ], ct);
        return answer.Expect($"Sign-in of {userName}").Body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Demo staff passwords are derived from the operator's password: reproducible, never stored, unknown without it.</summary>
    private string StaffPassword(string userName) =>
        "Demo-" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_operatorPassword), Encoding.UTF8.GetBytes("demo-staff:" + userName)))[..22];

    private Task EnsureStaffAsync(IEnumerable<PlannedStaff> staff, CancellationToken ct) =>
        // In parallel: password hashing (on creation and sign-in) is the slow part.
        ForEach("staff users", staff, async (user, ct) =>
        {
            var communities = user.Communities?.Select(c => _communities[c]).ToArray() ?? [];
            var answer = await services.Identity.PostAsync("/users", new
            {
                userName = user.UserName,
                password = StaffPassword(user.UserName),
                role = user.Role,
                communities,
                stations = Array.Empty<Guid>(),
                district = user.District?.Name,
            }, _tokens["operator"], $"{KeyPrefix}:staff-user:{user.UserName}", ct);
            if (answer.Status != HttpStatusCode.Conflict)
            {
                answer.Expect($"Creating staff user {user.UserName}");
            }
            Count("staff users", answer);
            _tokens[user.UserName] = await PasswordTokenAsync(user.UserName, StaffPassword(user.UserName), ct);
            _staffIds[user.UserName] = Guid.Parse(Subject(_tokens[user.UserName]));
        }, ct);

    /// <summary>The token's subject (the user or worker id), read from the JWT payload the service issued.</summary>
    private static string Subject(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.GetProperty("sub").GetString()!;
    }

    private string Officer => _tokens["demo.officer"];
    private string Supervisor => _tokens["demo.supervisor"];

    // ---- organizations --------------------------------------------------------------------------------------

    private async Task CommunitiesAsync(CancellationToken ct)
    {
        _communities = new Guid[plan.Communities.Count];
        await ForEach("communities", plan.Communities, async (c, token) =>
        {
            var answer = (await services.Organizations.PostAsync("/communities",
                new { name = c.Name, district = c.District.Name, street = c.Street, latitude = c.Latitude, longitude = c.Longitude },
                Officer, Key("community", c.Index), token)).Expect($"Registering community {c.Name}");
            Count("communities", answer);
            _communities[c.Index] = answer.Id;
        }, ct);
    }

    private async Task EnterprisesAsync(CancellationToken ct)
    {
        _enterprises = new Guid[plan.Enterprises.Count];
        await ForEach("enterprises", plan.Enterprises, async (e, token) =>
        {
            var answer = (await services.Organizations.PostAsync("/enterprises",
                new { name = e.Name, creditCode = e.CreditCode, industry = e.Industry, district = e.District.Name },
                Officer, Key("enterprise", e.Index), token)).Expect($"Registering enterprise {e.Name}");
            Count("enterprises", answer);
            _enterprises[e.Index] = answer.Id;
        }, ct);
    }

    private async Task OrganizationsAsync(CancellationToken ct)
    {
        _organizations = new Guid[plan.Organizations.Count];
        // Parents first: the industry committees, then the organizations under them.
        foreach (var level in plan.Organizations.GroupBy(o => o.Parent is null ? 0 : 1).OrderBy(g => g.Key))
        {
            await ForEach("organizations", level, async (o, token) =>
            {
                var applied = (await services.Organizations.PostAsync("/organizations", new
                {
                    name = o.Name,
                    kind = o.Kind,
                    parentId = o.Parent is { } p ? _organizations[p] : (Guid?)null,
                    appliedOn = o.AppliedOn,
                    enterpriseIds = o.Enterprises.Select(e => _enterprises[e]).ToArray(),
                }, Officer, Key("organization", o.Index), token)).Expect($"Applying to found {o.Name}");
                Count("organizations", applied);
                _organizations[o.Index] = applied.Id;
                var approved = await services.Organizations.PostRepeatableAsync($"/organizations/{applied.Id}/approval",
                    new { approvedOn = o.ApprovedOn, approvingBody = o.ApprovingBody }, Officer, token);
                if (approved.Status != HttpStatusCode.Conflict && approved.Status != HttpStatusCode.UnprocessableEntity)
                {
                    approved.Expect($"Approving {o.Name}");
                }
            }, ct);
        }
    }

    /// <summary>Stations, volunteers and rights keep copies of the communities, fed by events: wait until all are there.</summary>
    private async Task WaitForCopiesAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        foreach (var service in new[] { services.Stations, services.Volunteers, services.Rights })
        {
            var last = _communities[^1];
            while (true)
            {
                var answer = await service.GetAsync($"/communities/{last}", Officer, timeout.Token);
                if (answer.IsSuccess)
                {
                    break;
                }
                await Task.Delay(200, timeout.Token);
            }
        }
    }

    // ---- stations and training ------------------------------------------------------------------------------

    private async Task StationsAsync(CancellationToken ct)
    {
        _stations = new Guid[plan.Stations.Count];
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        await ForEach("stations", plan.Stations, async (s, token) =>
        {
            var answer = await Eventually(() => services.Stations.PostAsync("/stations", new
            {
                name = s.Name,
                hostType = s.HostType,
                communityId = _communities[s.Community],
                address = s.Address,
                latitude = s.Latitude,
                longitude = s.Longitude,
                hours = new { weekly = days.Select(d => new { day = d, opens = s.Opens, closes = s.Closes }).ToArray(), exceptions = Array.Empty<object>() },
                amenities = s.Amenities,
            }, Officer, Key("station", s.Index), token), "communityId", token);
            answer.Expect($"Opening station {s.Name}");
            Count("stations", answer);
            _stations[s.Index] = answer.Id;
        }, ct);
    }

    private async Task TrainingAsync(CancellationToken ct)
    {
        var today = CityClock.DateOf(DateTimeOffset.UtcNow);
        await ForEach("courses", plan.Courses, async (c, token) =>
        {
            // Evening sessions (19:00-21:00 Beijing time) once a week, when most shifts have ended.
            var first = today.AddDays(c.FirstSessionInDays);
            var sessions = Enumerable.Range(0, c.Sessions).Select(k =>
            {
                var date = first.AddDays(7 * k);
                var starts = new DateTimeOffset(date.Year, date.Month, date.Day, 19, 0, 0, TimeSpan.FromHours(8));
                return new { startsAt = starts, endsAt = starts.AddHours(2) };
            }).ToArray();
            var answer = (await services.Training.PostAsync("/courses", new
            {
                title = c.Title,
                kind = c.Kind,
                provider = c.Provider,
                providerName = c.ProviderName,
                delivery = c.Delivery,
                address = c.Address,
                capacity = c.Capacity,
                sessions,
            }, Officer, Key("course", c.Index), token)).Expect($"Putting on course {c.Title}");
            Count("courses", answer);
        }, ct);
        await ForEach("study activities", plan.StudyActivities, async (a, token) =>
        {
            var answer = (await services.Training.PostAsync("/study-activities", new
            {
                organizationId = _organizations[a.Organization],
                kind = a.Kind,
                theme = a.Theme,
                heldOn = a.FixedDate ?? today.AddDays(-a.DaysAgo),
                attendance = a.Attendance,
            }, Officer, Key("study-activity", a.Index), token)).Expect($"Recording study activity {a.Index}");
            Count("study sessions", answer);
        }, ct);
        await ForEach("articles", plan.Articles, async (a, token) =>
        {
            var answer = (await services.Training.PostAsync("/articles", new
            {
                organizationId = _organizations[a.Organization],
                category = a.Category,
                title = a.Title,
                body = a.Body,
            }, Officer, Key("article", a.Index), token)).Expect($"Publishing article {a.Index}");
            Count("articles", answer);
        }, ct);
    }

    // ---- rights ---------------------------------------------------------------------------------------------

    private async Task ProfessionalsAsync(CancellationToken ct)
    {
        foreach (var p in plan.Staff.Where(s => s.Role == "professional"))
        {
            var answer = (await services.Rights.PutAsync($"/professionals/{_staffIds[p.UserName]}",
                new { name = p.DisplayName, specialty = p.Specialty, district = p.District?.Name, active = true }, Supervisor, ct))
                .Expect($"Registering professional {p.UserName}");
            Count("professionals", answer, okMeansExisting: true);
        }
    }

    private async Task RightsAsync(CancellationToken ct)
    {
        var now = _loadedAt;
        var taker = _tokens["demo.counsellor.1"];
        await ForEach("hotline calls", plan.Calls, async (c, token) =>
        {
            var answer = (await services.Rights.PostAsync("/hotline/calls", new
            {
                startedAt = now.AddHours(-c.HoursAgo),
                durationSeconds = c.DurationSeconds,
                category = c.Category,
                outcome = c.Outcome,
                crisis = false,
            }, taker, Key("hotline-call", c.Index), token)).Expect($"Logging hotline call {c.Index}");
            Count("hotline calls", answer);
        }, ct);
        var today = CityClock.DateOf(now);
        // 14:30 Beijing time, sent in UTC: the rights service stores the offset as given and PostgreSQL takes UTC only.
        DateTimeOffset StartOf(PlannedActivity a)
        {
            var date = today.AddDays(a.InDays);
            return new DateTimeOffset(date.Year, date.Month, date.Day, 14, 30, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        }
        // Those already held come from the ledger, with their participants; the others are scheduled.
        var held = plan.Activities.Where(a => a.Participants is not null).ToList();
        if (held.Count > 0)
        {
            var imported = (await services.Rights.PostAsync("/activities/imports", new
            {
                activities = held.Select(a => new
                {
                    externalId = Key("joint-activity", a.Index),
                    title = a.Title,
                    kind = a.Kind,
                    partners = a.Partners,
                    heldAt = StartOf(a),
                    location = a.Location,
                    district = a.District.Name,
                    participants = a.Participants,
                }).ToArray(),
            }, _tokens["operator"], Key("joint-activity-import", 0), ct)).Expect("Importing the joint activities held");
            CountImported("joint activities", imported, "records");
        }
        await ForEach("upcoming activities", plan.Activities.Where(a => a.Participants is null), async (a, token) =>
        {
            var answer = (await services.Rights.PostAsync("/activities", new
            {
                title = a.Title,
                kind = a.Kind,
                partners = a.Partners,
                scheduledAt = StartOf(a),
                location = a.Location,
                district = a.District.Name,
            }, Supervisor, Key("joint-activity", a.Index), token)).Expect($"Scheduling activity {a.Title}");
            Count("joint activities", answer);
        }, ct);
    }

    // ---- workers --------------------------------------------------------------------------------------------

    private async Task WorkersAsync(CancellationToken ct)
    {
        // Workers already serving in their community are done: their masked phone is in the community's list.
        var served = new ConcurrentDictionary<Guid, HashSet<string>>();
        await ForEach("community worker lists", plan.Communities, async (c, token) => served[_communities[c.Index]] = await MaskedPhonesServingAsync(_communities[c.Index], token), ct);
        var pending = plan.Workers.Where(w => !served[_communities[w.Community]].Contains(MaskPhone(w.Phone))).ToList();
        _records.AddOrUpdate("workers", (0, plan.Workers.Count - pending.Count), (_, c) => (c.Created, c.Existing + plan.Workers.Count - pending.Count));
        LogPending(logger, pending.Count, plan.Workers.Count);
        await ForEach("workers", pending, WorkerAsync, ct);
    }

    private async Task<HashSet<string>> MaskedPhonesServingAsync(Guid community, CancellationToken ct)
    {
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var answer = (await services.Volunteers.GetAsync($"/workers?communityId={community}&page={page}&pageSize=200", Officer, ct))
                .Expect("Listing a community's workers");
            var items = answer.Body.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                phones.Add(item.GetProperty("phone").GetString()!);
            }
            if (items.GetArrayLength() < 200)
            {
                return phones;
            }
        }
    }

    private static string MaskPhone(string phone) => string.Concat(phone.AsSpan(0, 3), "****", phone.AsSpan(phone.Length - 4));

    /// <summary>
    /// One worker's day one: sign in with a phone code, register, the case they asked for help with (from the ledger) when planned, and
    /// report in to the community, which the district's community staff confirm. Reporting in comes last, so a
    /// worker who serves in their community has done everything before.
    /// </summary>
    private async Task WorkerAsync(PlannedWorker w, CancellationToken ct)
    {
        var code = (await services.Identity.PostAsync("/phone-codes", new { phone = w.Phone }, null, null, ct)).Expect($"Asking a code for worker {w.Index}");
        var sentCode = code.Body.TryGetProperty("code", out var c) && c.GetString() is { } plain
            ? plain
            : throw new DemoLoadException("Identity sent no code in its answer: demo workers can only sign in where identity runs in Development.");
        var token = (await services.Identity.PostFormAsync("/connect/token",
            [new("grant_type", "urn:platform:grant-type:phone-code"), new("client_id", "platform-app"), new("phone", w.Phone), new("code", sentCode)], ct))
            .Expect($"Signing in worker {w.Index}").Body.GetProperty("access_token").GetString()!;

        var registered = await Eventually(() => services.Volunteers.PostAsync("/workers/me", new
        {
            name = w.Name,
            phone = w.Phone,
            occupation = w.Occupation,
            enterpriseId = _enterprises[w.Enterprise],
            partyMember = w.PartyMember,
            partyJoinedOn = w.PartyJoinedOn,
        }, token, Key("worker", w.Index), ct), "enterpriseId", ct);
        if (registered.Status != HttpStatusCode.Conflict)
        {
            registered.Expect($"Registering worker {w.Index}");
        }
        Count("workers", registered);

        var community = plan.Communities[w.Community];
        var staff = _tokens[plan.StaffServing(community.Index)];
        if (w.Case is { } rightsCase)
        {
            await CaseAsync(rightsCase, community, Guid.Parse(Subject(token)), ct);
        }

        var reportIn = await services.Volunteers.PostAsync("/workers/me/report-ins", new { communityId = _communities[w.Community] }, token, Key("report-in", w.Index), ct);
        Guid reportInId;
        if (reportIn.Status == HttpStatusCode.Conflict)
        {
            // Already serving there, or a request waiting from a load stopped before the answer was kept: confirm that one.
            var mine = (await services.Volunteers.GetAsync("/workers/me/report-ins?pageSize=20", token, ct)).Expect($"Listing the report-ins of worker {w.Index}");
            var pending = mine.Body.GetProperty("items").EnumerateArray()
                .FirstOrDefault(r => r.GetProperty("status").GetString() == "pending" && r.GetProperty("communityId").GetGuid() == _communities[w.Community]);
            if (pending.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            reportInId = pending.GetProperty("id").GetGuid();
        }
        else
        {
            reportInId = reportIn.Expect($"Reporting in worker {w.Index}").Id;
        }
        var confirmed = await services.Volunteers.PostRepeatableAsync($"/report-ins/{reportInId}/confirm", null, staff, ct);
        if (confirmed.Status != HttpStatusCode.Conflict)
        {
            confirmed.Expect($"Confirming the report-in of worker {w.Index}");
        }
        Count("report-ins", confirmed);
    }

    // ---- vanguard teams -------------------------------------------------------------------------------------

    /// <summary>
    /// Forms each planned team with its leader and puts its members on it, as the operator. The workers' ids come
    /// from their community's list (matched by the masked phone, unique per demo worker), so a second load that
    /// signed nobody in still finds them.
    /// </summary>
    private Task VanguardTeamsAsync(CancellationToken ct) =>
        ForEach("vanguard teams", plan.VanguardTeams, async (team, token) =>
        {
            var communityId = _communities[team.Community];
            var ids = await WorkerIdsByMaskedPhoneAsync(communityId, token);
            Guid IdOf(int worker) => ids.TryGetValue(MaskPhone(plan.Workers[worker].Phone), out var id)
                ? id
                : throw new DemoLoadException($"Worker {worker} is not serving in community {team.Community}: load the workers first.");

            var formed = await services.Volunteers.PostAsync("/vanguard-teams", new { name = team.Name, communityId, leaderId = IdOf(team.Leader) },
                _tokens["operator"], Key("vanguard-team", team.Index), token);
            Guid teamId;
            if (formed.Status == HttpStatusCode.Conflict)
            {
                // Formed by a load whose answer was lost: the community's active team.
                var existing = (await services.Volunteers.GetAsync($"/vanguard-teams?communityId={communityId}", _tokens["operator"], token))
                    .Expect($"Finding the vanguard team of community {team.Community}");
                teamId = existing.Body.GetProperty("items")[0].GetProperty("id").GetGuid();
            }
            else
            {
                teamId = formed.Expect($"Forming vanguard team {team.Index}").Id;
            }
            Count("vanguard teams", formed);
            foreach (var member in team.Members)
            {
                var joined = await services.Volunteers.PostAsync($"/vanguard-teams/{teamId}/members", new { workerId = IdOf(member) },
                    _tokens["operator"], Key("vanguard-member", member), token);
                if (joined.Status != HttpStatusCode.Conflict)
                {
                    joined.Expect($"Putting worker {member} on vanguard team {team.Index}");
                }
                Count("vanguard members", joined);
            }
        }, ct);

    private async Task<Dictionary<string, Guid>> WorkerIdsByMaskedPhoneAsync(Guid community, CancellationToken ct)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var answer = (await services.Volunteers.GetAsync($"/workers?communityId={community}&page={page}&pageSize=200", Officer, ct))
                .Expect("Listing a community's workers");
            var items = answer.Body.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                ids[item.GetProperty("phone").GetString()!] = item.GetProperty("id").GetGuid();
            }
            if (items.GetArrayLength() < 200)
            {
                return ids;
            }
        }
    }

    /// <summary>
    /// The hazard reports of the city's ledger (months of them), imported by the operator in batches with their
    /// times and status history. The volunteers service routes each as live intake would; the ledger ids make a
    /// second load find them instead of copying them.
    /// </summary>
    private async Task HazardHistoryAsync(CancellationToken ct)
    {
        var batches = plan.Hazards.Chunk(HazardBatch).Select((batch, index) => (batch, index)).ToList();
        await ForEach("hazard report batches", batches, async (b, token) =>
        {
            var answer = (await services.Volunteers.PostAsync("/hazard-reports/imports", new
            {
                reports = b.batch.Select(h =>
                {
                    var reportedAt = _loadedAt.AddHours(-h.HoursAgo);
                    string[] statuses = ["acknowledged", "in-progress", "closed"];
                    return new
                    {
                        externalId = Key("hazard", h.Index),
                        category = h.Category,
                        latitude = h.Latitude,
                        longitude = h.Longitude,
                        description = h.Description,
                        reportedAt,
                        history = h.StepHours.Select((hours, k) => new
                        {
                            status = statuses[k],
                            at = reportedAt.AddHours(hours),
                            notes = statuses[k] == "closed" ? "已通知责任部门处理完毕，现场复查合格。" : null,
                        }).ToArray(),
                    };
                }).ToArray(),
            }, _tokens["operator"], Key("hazard-import", b.index), token)).Expect($"Importing hazard reports (batch {b.index})");
            CountImported("hazard reports", answer, "reports");
        }, ct);
    }

    /// <summary>Reports per import call (the volunteers service takes at most 200).</summary>
    private const int HazardBatch = 200;

    /// <summary>
    /// The worker's case from the ledger: imported by the operator with the worker as requester and its steps at their
    /// times, handled by one of the demo professionals (their case file to continue where it is not resolved).
    /// </summary>
    private async Task CaseAsync(PlannedCase rightsCase, PlannedCommunity community, Guid workerId, CancellationToken ct)
    {
        var submittedAt = _loadedAt.AddHours(-rightsCase.HoursAgo);
        DateTimeOffset? Step(int k) => rightsCase.StepHours.Length > k ? submittedAt.AddHours(rightsCase.StepHours[k]) : null;
        var professional = rightsCase.Category == "psychological-support"
            ? $"demo.counsellor.{1 + rightsCase.Index % 2}"
            : $"demo.lawyer.{1 + rightsCase.Index % 2}";
        var resolved = Step(3);
        var answer = (await services.Rights.PostAsync("/cases/imports", new
        {
            cases = new[]
            {
                new
                {
                    externalId = Key("case", rightsCase.Index),
                    category = rightsCase.Category,
                    channel = "app",
                    urgency = "normal",
                    description = rightsCase.Description,
                    workerId,
                    communityId = _communities[community.Index],
                    submittedAt,
                    triagedAt = Step(0),
                    professionalId = Step(1) is null ? (Guid?)null : _staffIds[professional],
                    assignedAt = Step(1),
                    startedAt = Step(2),
                    resolvedAt = resolved,
                    resolution = resolved is null ? null : "已提供咨询意见并跟进，求助人表示问题得到解决。",
                },
            },
        }, _tokens["operator"], Key("case-import", rightsCase.Index), ct)).Expect($"Importing case {rightsCase.Index}");
        CountImported("counselling and legal cases", answer, "records");
    }

    // ---- plumbing -------------------------------------------------------------------------------------------


    /// <summary>
    /// Runs <paramref name="body"/> for every item, <see cref="DemoOptions.Parallelism"/> at a time, with a progress
    /// line every <see cref="DemoOptions.ProgressEvery"/> while it runs (a city ten times the report's takes a while).
    /// </summary>
    private async Task ForEach<T>(string what, IEnumerable<T> items, Func<T, CancellationToken, Task> body, CancellationToken ct)
    {
        var list = items as IReadOnlyCollection<T> ?? [.. items];
        var done = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ReportProgressAsync(what, list.Count, () => Volatile.Read(ref done), clock, stop.Token);
        try
        {
            await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
                async (item, token) =>
                {
                    await body(item, token);
                    Interlocked.Increment(ref done);
                });
        }
        finally
        {
            await stop.CancelAsync();
            await progress;
        }
    }

    private async Task ReportProgressAsync(string what, int total, Func<int> done, Stopwatch clock, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.ProgressEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var count = done();
                var rate = count / clock.Elapsed.TotalSeconds;
                LogProgress(logger, what, count, total, rate, rate > 0 ? (total - count) / rate : double.NaN);
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended (or the load was cancelled, which the phase itself reports).
        }
    }

    /// <summary>
    /// Retries a call refused only because this service has not yet received a record from another one (its copy
    /// is fed by events): a 400 naming <paramref name="field"/>, for up to a minute.
    /// </summary>
    private static async Task<Answer> Eventually(Func<Task<Answer>> call, string field, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var answer = await call();
            var waiting = answer.Status == HttpStatusCode.BadRequest
                          && answer.Body.ValueKind == JsonValueKind.Object
                          && answer.Body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _);
            if (!waiting || DateTime.UtcNow > deadline)
            {
                return answer;
            }
            await Task.Delay(250, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo city: {Phase} done in {Seconds:F1} s")]
    private static partial void LogPhase(ILogger logger, string phase, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo city: {What} {Done} of {Total} ({Rate:F0}/s, about {Left:F0} s left)")]
    private static partial void LogProgress(ILogger logger, string what, int done, int total, double rate, double left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo city: {Pending} of {Workers} workers still to sign up and report in")]
    private static partial void LogPending(ILogger logger, int pending, int workers);
}
