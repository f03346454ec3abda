using System.Net;
using Platform.Contracts;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;
using Platform.Volunteers.Apis;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Tests.Http;

public sealed class WorkersApiTests(LocalInfrastructure infrastructure) : VolunteersApiTest(infrastructure)
{
    [Fact]
    public async Task A_worker_registers_once_and_reads_their_full_profile_which_is_stored_encrypted()
    {
        var enterpriseId = await EnterpriseAsync();
        var workerId = Guid.NewGuid();
        var phone = UniquePhone();
        var me = Worker(workerId);

        using var created = await PostAsync(me, "/workers/me",
            WorkerBody(enterpriseId, $"+86 {phone[..3]}-{phone[3..]}", name: "张三丰", idNumber: "11010519491231002x", partyMember: true, partyJoinedOn: "2015-07-01"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var profile = await ReadAsync<WorkerProfile>(created);
        Assert.Equal(workerId, profile.Id);
        Assert.Equal("张三丰", profile.Name);
        Assert.Equal(phone, profile.Phone);
        Assert.Equal("11010519491231002X", profile.IdNumber);
        Assert.Equal(Occupation.FoodDeliveryRider, profile.Occupation);
        Assert.Equal("美团廊坊站", profile.EnterpriseName);
        Assert.Equal(new DateOnly(2015, 7, 1), profile.PartyJoinedOn);
        Assert.Equal("广阳区", profile.District);
        Assert.Equal(profile, await GetOkAsync<WorkerProfile>(me, "/workers/me"));

        // Nothing personal is readable in the database.
        Assert.Equal(0, await Service.ScalarAsync<long>(
            "SELECT count(*) FROM workers WHERE \"NameCipher\" LIKE '%张%' OR \"PhoneCipher\" LIKE @p OR \"IdNumberCipher\" LIKE '%1101%' OR \"PhoneIndex\" LIKE @p",
            ("p", $"%{phone[3..]}%")));
        Assert.Equal(1, await Service.ScalarAsync<long>("SELECT count(*) FROM workers WHERE \"NameCipher\" LIKE 'v1:%' AND \"PhoneCipher\" LIKE 'v1:%'"));

        using var again = await PostAsync(me, "/workers/me", WorkerBody(enterpriseId, UniquePhone()));
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_worker_asking_for_another_worker_s_record_gets_404_and_their_own_in_full()
    {
        var enterpriseId = await EnterpriseAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await RegisterWorkerAsync(a, enterpriseId);
        await RegisterWorkerAsync(b, enterpriseId);

        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Worker(a), $"/workers/{b}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfGetAsync(Worker(a), "/workers"));
        var own = await GetOkAsync<WorkerProfile>(Worker(a), $"/workers/{a}");
        Assert.Equal("张三丰", own.Name);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Worker(Guid.NewGuid()), "/workers/me"));
    }

    [Fact]
    public async Task Staff_see_masked_personal_fields_and_only_workers_of_their_communities()
    {
        var enterpriseId = await EnterpriseAsync();
        var district = UniqueDistrict();
        var community = await CommunityAsync(district);
        var other = await CommunityAsync(district, name: "另一个社区");
        var workerId = await WorkerServingInAsync(community, enterpriseId);
        var phone = (await GetOkAsync<WorkerProfile>(Worker(workerId), "/workers/me")).Phone;

        var page = await GetOkAsync<Page<WorkerSummary>>(Staff(community), "/workers");

        var listed = Assert.Single(page.Items);
        Assert.Equal("张**", listed.Name);
        Assert.Equal($"{phone[..3]}****{phone[^4..]}", listed.Phone);
        Assert.Equal(community, listed.CommunityId);
        Assert.Equal(0, (await GetOkAsync<Page<WorkerSummary>>(Staff(other), "/workers")).Total);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(Staff(other), $"/workers/{workerId}"));
        Assert.Equal("张**", (await GetOkAsync<WorkerSummary>(Staff(community), $"/workers/{workerId}")).Name);
        var officerView = await GetOkAsync<Page<WorkerSummary>>(Officer(), $"/workers?communityId={community}&occupation=food-delivery-rider");
        Assert.Equal("张**", Assert.Single(officerView.Items).Name);
    }

    [Fact]
    public async Task Bad_profiles_are_400_naming_each_field()
    {
        var enterpriseId = await EnterpriseAsync();
        var me = Worker(Guid.NewGuid());

        using var unknownEnterprise = await PostAsync(me, "/workers/me", WorkerBody(Guid.NewGuid(), UniquePhone()));
        await ProblemAssert.IsProblemAsync(unknownEnterprise, HttpStatusCode.BadRequest, "enterpriseId");

        using var bad = await PostAsync(me, "/workers/me", WorkerBody(enterpriseId, "12345", name: " ", idNumber: "110105194912310021", partyMember: true));
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, "name", "phone", "idNumber", "partyJoinedOn");
        Assert.Equal(["idNumber", "name", "partyJoinedOn", "phone"], ProblemAssert.ErrorFields(problem));

        using var badOccupation = await PostRawAsync(me, "/workers/me", $$"""{"name":"李四","phone":"{{UniquePhone()}}","occupation":"pilot","enterpriseId":"{{enterpriseId}}","partyMember":false}""");
        await ProblemAssert.IsProblemAsync(badOccupation, HttpStatusCode.BadRequest, "occupation");
    }

    [Fact]
    public async Task One_phone_number_registers_one_worker()
    {
        var enterpriseId = await EnterpriseAsync();
        var phone = UniquePhone();
        await RegisterWorkerAsync(Guid.NewGuid(), enterpriseId, phone);

        using var second = await PostAsync(Worker(Guid.NewGuid()), "/workers/me", WorkerBody(enterpriseId, phone));

        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_worker_updates_their_profile()
    {
        var enterpriseId = await EnterpriseAsync();
        var other = await EnterpriseAsync("安次区");
        var workerId = Guid.NewGuid();
        await RegisterWorkerAsync(workerId, enterpriseId);
        var phone = UniquePhone();

        using var response = await PutAsync(Worker(workerId), "/workers/me", WorkerBody(other, phone, name: "王五", occupation: "courier"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await GetOkAsync<WorkerProfile>(Worker(workerId), "/workers/me");
        Assert.Equal(("王五", phone, Occupation.Courier, other, "安次区"), (profile.Name, profile.Phone, profile.Occupation, profile.EnterpriseId, profile.District));
        using var invalid = await PutAsync(Worker(workerId), "/workers/me", WorkerBody(other, "not a phone"));
        await ProblemAssert.IsProblemAsync(invalid, HttpStatusCode.BadRequest, "phone");
        Assert.Equal("王五", (await GetOkAsync<WorkerProfile>(Worker(workerId), "/workers/me")).Name);
    }

    [Fact]
    public async Task Registering_publishes_WorkerRegistered_without_personal_data()
    {
        await using var listener = await ExchangeListener.ForAsync<WorkerRegistered>(Infrastructure);
        var enterpriseId = await EnterpriseAsync();
        var workerId = Guid.NewGuid();
        var phone = UniquePhone();

        await RegisterWorkerAsync(workerId, enterpriseId, phone, partyMember: true);

        var envelope = await listener.NextAsync(e => e.GetProperty("message").GetProperty("workerId").GetGuid() == workerId);
        var message = envelope.GetProperty("message");
        Assert.Equal(["district", "enterpriseId", "occupation", "partyMember", "registeredAt", "workerId"],
            message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("food-delivery-rider", message.GetProperty("occupation").GetString());
        Assert.True(message.GetProperty("partyMember").GetBoolean());
        Assert.Equal(enterpriseId, message.GetProperty("enterpriseId").GetGuid());
        Assert.DoesNotContain(phone[3..], envelope.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("张", envelope.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_or_repeated_enterprise_event_keeps_one_copy()
    {
        var id = Guid.NewGuid();
        var registered = new EnterpriseRegistered(id, "顺丰廊坊站", "91131000MA0A1B2C3D", "express", "广阳区", DateTimeOffset.UtcNow);

        await PublishAsync(registered);
        await PublishAsync(registered with { Name = "顺丰速运廊坊站" });

        await Eventually.Until(
            _ => Service.ScalarAsync<long>("SELECT count(*) FROM enterprises WHERE \"Id\" = @id AND \"Name\" = '顺丰速运廊坊站'", ("id", id)),
            n => n == 1, "the second event applied to the one copy");
        Assert.Equal(1, await Service.ScalarAsync<long>("SELECT count(*) FROM enterprises WHERE \"Id\" = @id", ("id", id)));
    }
}
