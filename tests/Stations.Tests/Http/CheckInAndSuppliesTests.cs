using System.Net;
using System.Text.Json;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Stations.Apis;
using Platform.Stations.Domain;
using Platform.TestSupport;
using Platform.ServiceDefaults.Time;

namespace Platform.Stations.Tests.Http;

public sealed class CheckInAndSuppliesTests(LocalInfrastructure infrastructure) : StationsApiTest(infrastructure)
{
    [Fact]
    public async Task A_worker_checks_in_with_the_posted_code_once_per_visit_and_the_keeper_sees_the_visits_by_hour()
    {
        var station = await OpenStationAsync(StationBody(await CommunityAsync()));
        var keeper = Keeper(station.Id);
        var code = (await OkAsync<CheckInCodeResponse>(keeper, $"/stations/{station.Id}/check-in-code")).Code;
        var worker = Worker(Guid.NewGuid());

        using var first = await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code });
        using var again = await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code });
        await ExpectAsync(await PostAsync(Worker(Guid.NewGuid()), $"/stations/{station.Id}/check-ins", new { code }), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var firstBody = await ReadAsync<CheckInResponse>(first);
        var againBody = await ReadAsync<CheckInResponse>(again);
        Assert.Equal(firstBody.Id, againBody.Id);
        Assert.True(againBody.Repeated);
        var visits = await OkAsync<VisitsResponse>(keeper, $"/stations/{station.Id}/visits");
        Assert.Equal(2, visits.Total);
        Assert.Equal(2, visits.Workers);
        var hour = CityClock.LocalDateTime(firstBody.At).Hour;
        Assert.Equal(2, visits.ByHour[hour].Count);
        Assert.Equal(24, visits.ByHour.Count);
        Assert.Equal(new HourCount(hour, 2), Assert.Single(visits.BusiestHours));
        Assert.Equal(2, Assert.Single(visits.ByDay).Count);
    }

    [Fact]
    public async Task Forged_or_other_station_codes_are_refused()
    {
        var community = await CommunityAsync();
        var station = await OpenStationAsync(StationBody(community));
        var neighbour = await OpenStationAsync(StationBody(community, 39.53, 116.71));
        var neighbourCode = (await OkAsync<CheckInCodeResponse>(Officer, $"/stations/{neighbour.Id}/check-in-code")).Code;
        var forgedWithAnotherKey = new CheckInCodes(Convert.FromBase64String(NewCheckInKey())).For(station.Id);
        var worker = Worker(Guid.NewGuid());

        await ProblemAssert.IsProblemAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code = neighbourCode }), HttpStatusCode.UnprocessableEntity, "code");
        await ProblemAssert.IsProblemAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code = forgedWithAnotherKey }), HttpStatusCode.UnprocessableEntity, "code");
        await ProblemAssert.IsProblemAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code = $"RS1.{station.Id:N}.AAAA" }), HttpStatusCode.UnprocessableEntity, "code");
        await ProblemAssert.IsProblemAsync(await PostAsync(worker, $"/stations/{station.Id}/check-ins", new { code = "" }), HttpStatusCode.BadRequest, "code");
        await ExpectAsync(await PostAsync(Officer, $"/stations/{station.Id}/check-ins", new { code = neighbourCode }), HttpStatusCode.Forbidden);
        await ExpectAsync(await Keeper(neighbour.Id).GetAsync(new Uri($"/stations/{station.Id}/check-in-code", UriKind.Relative)), HttpStatusCode.Forbidden);
        var visits = await OkAsync<VisitsResponse>(Officer, $"/stations/{station.Id}/visits");
        Assert.Equal(0, visits.Total);
    }

    [Fact]
    public async Task Running_low_publishes_once_per_crossing_not_on_every_change_below_the_threshold()
    {
        await using var listener = await ExchangeListener.ForAsync<SuppliesRunningLow>(Infrastructure);
        var station = await OpenStationAsync(StationBody(await CommunityAsync("香河县")));
        var keeper = Keeper(station.Id);
        var masks = $"/stations/{station.Id}/supplies/masks";

        await ExpectAsync(await PostAsync(keeper, $"{masks}/restock", new { quantity = 20 }), HttpStatusCode.OK);
        await ExpectAsync(await PutAsync(keeper, masks, new { threshold = 5 }), HttpStatusCode.OK);
        foreach (var (action, quantity) in new[] { ("use", 15), ("use", 2), ("use", 1), ("restock", 12), ("use", 10) })
        {
            await ExpectAsync(await PostAsync(keeper, $"{masks}/{action}", new { quantity }), HttpStatusCode.OK);
        }
        // 20 -> 5 (crosses) -> 3 -> 2 -> 14 (recovers) -> 4 (crosses again)
        await WaitForEmptyOutboxAsync();

        var events = new List<JsonElement>();
        try
        {
            while (true)
            {
                events.Add(MessageOf(await listener.NextAsync(e => MessageOf(e).GetProperty("stationId").GetGuid() == station.Id, TimeSpan.FromSeconds(2))));
            }
        }
        catch (TimeoutException)
        {
            // Everything published has been routed to the listener's queue once the outbox is empty.
        }
        Assert.Equal([4, 5], events.Select(e => e.GetProperty("quantity").GetInt32()).Order());
        Assert.All(events, e => Assert.Equal("masks", e.GetProperty("item").GetString()));
        Assert.All(events, e => Assert.Equal("香河县", e.GetProperty("district").GetString()));
        var stock = await OkAsync<IReadOnlyList<SupplyResponse>>(keeper, $"/stations/{station.Id}/supplies");
        Assert.Equal(new SupplyResponse(SupplyItem.Masks, 4, 5, true, default), Assert.Single(stock) with { UpdatedAt = default });
    }

    [Fact]
    public async Task Using_more_than_is_left_is_a_409_and_bad_supply_input_a_400()
    {
        var station = await OpenStationAsync(StationBody(await CommunityAsync()));
        var keeper = Keeper(station.Id);

        await ExpectAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/water/restock", new { quantity = 3 }), HttpStatusCode.OK);

        await ProblemAssert.IsProblemAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/water/use", new { quantity = 4 }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/first-aid-kit/use", new { quantity = 1 }), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/caviar/restock", new { quantity = 1 }), HttpStatusCode.BadRequest, "item");
        await ProblemAssert.IsProblemAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/water/use", new { quantity = 0 }), HttpStatusCode.BadRequest, "quantity");
        await ExpectAsync(await PostAsync(Keeper(Guid.NewGuid()), $"/stations/{station.Id}/supplies/water/use", new { quantity = 1 }), HttpStatusCode.Forbidden);
        var stock = await OkAsync<IReadOnlyList<SupplyResponse>>(Worker(Guid.NewGuid()), $"/stations/{station.Id}/supplies");
        Assert.Equal(3, Assert.Single(stock).Quantity);
    }

    [Fact]
    public async Task Concurrent_use_of_the_last_items_never_goes_below_zero()
    {
        var station = await OpenStationAsync(StationBody(await CommunityAsync()));
        var keeper = Keeper(station.Id);
        await ExpectAsync(await PostAsync(keeper, $"/stations/{station.Id}/supplies/umbrellas/restock", new { quantity = 5 }), HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(keeper, $"/stations/{station.Id}/supplies/umbrellas/use", new { quantity = 1 })));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        foreach (var a in answers)
        {
            a.Dispose();
        }
        Assert.Equal(0, Assert.Single(await OkAsync<IReadOnlyList<SupplyResponse>>(keeper, $"/stations/{station.Id}/supplies")).Quantity);
    }

    [Fact]
    public async Task Workers_write_in_the_guest_book_keepers_reply_and_staff_hide_abuse()
    {
        var station = await OpenStationAsync(StationBody(await CommunityAsync()));
        var keeper = Keeper(station.Id);
        var rider = Worker(Guid.NewGuid());
        var book = $"/stations/{station.Id}/guest-book";

        using var thanks = await PostAsync(rider, book, new { text = "谢谢驿站的热水，冬天跑单暖和多了！" });
        using var abuse = await PostAsync(Worker(Guid.NewGuid()), book, new { text = "骂人的话" });
        var thanksMessage = await ReadAsync<GuestBookMessage>(thanks);
        var abuseMessage = await ReadAsync<GuestBookMessage>(abuse);
        await ExpectAsync(await PostAsync(keeper, $"{book}/{thanksMessage.Id}/reply", new { text = "欢迎常来！" }), HttpStatusCode.OK);
        await ExpectAsync(await PostAsync(keeper, $"{book}/{abuseMessage.Id}/hide", new { reason = "辱骂" }), HttpStatusCode.OK);

        var seenByRider = await OkAsync<Page<GuestBookMessage>>(rider, book);
        var shown = Assert.Single(seenByRider.Items);
        Assert.Equal("欢迎常来！", shown.Reply);
        Assert.True(shown.Mine);
        Assert.False((await OkAsync<Page<GuestBookMessage>>(Worker(Guid.NewGuid()), book)).Items.Single().Mine);
        var seenByStaff = await OkAsync<Page<GuestBookMessage>>(keeper, $"{book}?includeHidden=true");
        Assert.Equal("辱骂", seenByStaff.Items.Single(m => m.Id == abuseMessage.Id).HiddenReason);
        await ExpectAsync(await rider.GetAsync(new Uri($"{book}?includeHidden=true", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await PostAsync(rider, book, new { text = new string('长', GuestBookEntry.TextMaxLength + 1) }), HttpStatusCode.BadRequest, "text");
        await ExpectAsync(await PostAsync(rider, $"{book}/{abuseMessage.Id}/hide", new { reason = "x" }), HttpStatusCode.Forbidden);
        await ExpectAsync(await PostAsync(Keeper(Guid.NewGuid()), $"{book}/{thanksMessage.Id}/reply", new { text = "x" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Stats_count_stations_by_host_type_and_zone_amenity_coverage_and_check_ins_per_period()
    {
        var community = await CommunityAsync();
        var a = await OpenStationAsync(StationBody(community, amenities: ["water", "charging", "heating", "cooling", "rest", "first-aid-kit"], hostType: "bank-branch"));
        await OpenStationAsync(StationBody(community, 39.6, 116.8, amenities: ["water"], hostType: "street-community"));
        var closed = await OpenStationAsync(StationBody(community, 39.7, 116.9, amenities: ["water"], hostType: "bank-branch"));
        await ExpectAsync(await PostAsync(Officer, $"/stations/{closed.Id}/close"), HttpStatusCode.OK);
        using var zoneResponse = await PostAsync(Officer, "/zones", new { name = "城区服务圈" });
        var zone = await ReadAsync<ZoneResponse>(zoneResponse);
        await ExpectAsync(await PutAsync(Officer, $"/zones/{zone.Id}/stations/{a.Id}", new { }), HttpStatusCode.NoContent);
        var code = (await OkAsync<CheckInCodeResponse>(Officer, $"/stations/{a.Id}/check-in-code")).Code;
        using var checkIn = await PostAsync(Worker(Guid.NewGuid()), $"/stations/{a.Id}/check-ins", new { code });
        Assert.Equal(HttpStatusCode.Created, checkIn.StatusCode);
        // The month the service filed the check-in under, by its own time (not the test's a moment later, which may be the next month).
        var checkedInOn = DateOnly.FromDateTime(CityClock.LocalDateTime((await ReadAsync<CheckInResponse>(checkIn)).At));
        var supervisor = Client(TestTokens.For(PlatformRoles.Supervisor));

        var stats = await OkAsync<StatsResponse>(supervisor, "/stats?period=month");

        Assert.Equal(2, stats.ActiveStations);
        Assert.Equal(1, stats.ClosedStations);
        Assert.Equal(1, stats.ByHostType.Single(h => h.HostType == HostType.BankBranch).Stations);
        Assert.Equal(1, stats.ByHostType.Single(h => h.HostType == HostType.StreetCommunity).Stations);
        Assert.Equal(new ZoneCount(zone.Id, "城区服务圈", 1), Assert.Single(stats.ByZone));
        Assert.Equal(new AmenityCoverage(Amenity.Water, 2, 1.0), stats.Amenities.Single(x => x.Amenity == Amenity.Water));
        Assert.Equal(new AmenityCoverage(Amenity.Charging, 1, 0.5), stats.Amenities.Single(x => x.Amenity == Amenity.Charging));
        Assert.Equal(1, stats.StationsWithAllSixCans);
        Assert.Equal(1, stats.CheckIns);
        Assert.Equal(new PeriodCount(new DateOnly(checkedInOn.Year, checkedInOn.Month, 1), 1), Assert.Single(stats.CheckInsPerPeriod));
        await ExpectAsync(await Worker(Guid.NewGuid()).GetAsync(new Uri("/stats", UriKind.Relative)), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await supervisor.GetAsync(new Uri("/stats?from=2026-01-01&to=2025-01-01", UriKind.Relative)), HttpStatusCode.BadRequest, "from");
    }
}
