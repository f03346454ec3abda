using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.Organizations.Apis;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

public sealed class CommunitiesApiTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    [Fact]
    public async Task The_service_runs_on_the_database_and_broker_given_by_the_test()
    {
        // The settings reach builder.Configuration while Program.cs builds: the migrations created this test's database.
        await using var connection = new NpgsqlConnection(Infrastructure.PostgresConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Service.DatabaseName);
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM communities"));
        Assert.Equal("organizations", Service.Services.GetRequiredService<IHostEnvironment>().ApplicationName.ToLowerInvariant());

        using var health = await Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Registering_a_community_answers_201_with_its_location_and_body()
    {
        var district = UniqueDistrict();

        using var response = await PostAsync("/communities", new
        {
            name = " 银河北路社区 ",
            district,
            street = "银河北路街道",
            latitude = 39.5186,
            longitude = 116.6946,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync<CommunityResponse>(response);
        Assert.NotEqual(Guid.Empty, created.Id);
        Assert.Equal("银河北路社区", created.Name);
        Assert.Equal(district, created.District);
        Assert.Equal("银河北路街道", created.Street);
        Assert.Equal(39.5186, created.Latitude);
        Assert.Equal(116.6946, created.Longitude);
        Assert.True(created.RegisteredAt > DateTimeOffset.UtcNow.AddMinutes(-5) && created.RegisteredAt <= DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal($"/communities/{created.Id}", response.Headers.Location?.OriginalString);

        var fetched = await GetOkAsync<CommunityResponse>(response.Headers.Location!.OriginalString);
        AssertSame(created, fetched);
    }

    [Fact]
    public async Task The_registration_time_in_the_201_body_is_the_one_read_back()
    {
        // The 201 body (and the event) carry the clock's full precision (100 ns ticks); PostgreSQL keeps microseconds.
        // Three registrations, so that a time that happens to end in a whole microsecond cannot hide the difference.
        var district = UniqueDistrict();
        var created = new List<CommunityResponse>();
        foreach (var name in new[] { "甲社区", "乙社区", "丙社区" })
        {
            created.Add(await RegisterCommunityAsync(ValidCommunity(district, name)));
        }

        foreach (var c in created)
        {
            var fetched = await GetOkAsync<CommunityResponse>($"/communities/{c.Id}");
            Assert.True(c.RegisteredAt == fetched.RegisteredAt, $"201 said {c.RegisteredAt:O}, GET says {fetched.RegisteredAt:O}");
        }
    }

    [Fact]
    public async Task The_body_uses_the_platform_s_camel_case_field_names()
    {
        using var response = await PostAsync("/communities", ValidCommunity());

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            ["district", "id", "latitude", "longitude", "name", "registeredAt", "street"],
            body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        using var response = await Client.GetAsync(new Uri($"/communities/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_list_is_paged_with_a_total_and_filtered_by_district()
    {
        var district = UniqueDistrict();
        var other = UniqueDistrict();
        var a = await RegisterCommunityAsync(ValidCommunity(district, "甲社区", "一街道"));
        var b = await RegisterCommunityAsync(ValidCommunity(district, "乙社区", "一街道"));
        var c = await RegisterCommunityAsync(ValidCommunity(district, "丙社区", "二街道"));
        var elsewhere = await RegisterCommunityAsync(ValidCommunity(other, "丁社区"));

        var first = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}&page=1&pageSize=2");
        var second = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}&page=2&pageSize=2");
        var third = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}&page=3&pageSize=2");
        var inOther = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(other)}");
        var everything = await ListCommunitiesAsync("");

        Assert.Equal((1, 2, 3L), (first.PageNumber, first.PageSize, first.Total));
        Assert.Equal(2, first.Items.Count);
        Assert.Equal((2, 2, 3L), (second.PageNumber, second.PageSize, second.Total));
        Assert.Single(second.Items);
        Assert.Empty(third.Items);
        // Every community of the district exactly once across the pages.
        Assert.Equal(
            new[] { a.Id, b.Id, c.Id }.Order(),
            first.Items.Concat(second.Items).Select(x => x.Id).Order());
        Assert.All(first.Items.Concat(second.Items), x => Assert.Equal(district, x.District));
        AssertSame(elsewhere, Assert.Single(inOther.Items));
        Assert.Equal(1, inOther.Total);
        Assert.Equal(4, everything.Total);
        Assert.Equal(50, everything.PageSize);
        Assert.Equal(1, everything.PageNumber);
    }

    [Fact]
    public async Task The_list_is_filtered_by_street_too()
    {
        var district = UniqueDistrict();
        await RegisterCommunityAsync(ValidCommunity(district, "甲社区", "一街道"));
        var b = await RegisterCommunityAsync(ValidCommunity(district, "乙社区", "二街道"));

        var page = await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}&street={Uri.EscapeDataString("二街道")}");

        AssertSame(b, Assert.Single(page.Items));
    }

    [Fact]
    public async Task The_largest_page_size_is_accepted()
    {
        var page = await ListCommunitiesAsync("?page=1&pageSize=200");

        Assert.Equal(200, page.PageSize);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=-1", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("page=99999999999", "page")]
    public async Task Bad_paging_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetAsync(new Uri($"/communities?{query}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Registering_the_same_community_again_is_a_409_problem()
    {
        var district = UniqueDistrict();
        await RegisterCommunityAsync(ValidCommunity(district, "银河北路社区", "银河北路街道"));

        // Same name, district and street (after trimming); other coordinates do not make it another community.
        using var again = await PostAsync("/communities", new
        {
            name = "  银河北路社区",
            district,
            street = "银河北路街道 ",
            latitude = 10.0,
            longitude = 20.0,
        });

        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already", problem.GetProperty("title").GetString());
        Assert.Equal(1, (await ListCommunitiesAsync($"?district={Uri.EscapeDataString(district)}")).Total);
    }

    [Fact]
    public async Task The_same_name_in_another_street_is_another_community()
    {
        var district = UniqueDistrict();
        await RegisterCommunityAsync(ValidCommunity(district, "新村", "一街道"));

        using var response = await PostAsync("/communities", ValidCommunity(district, "新村", "二街道"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
