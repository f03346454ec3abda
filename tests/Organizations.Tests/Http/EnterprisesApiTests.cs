using System.Net;
using Platform.Organizations.Apis;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

public sealed class EnterprisesApiTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    [Fact]
    public async Task Registering_an_enterprise_answers_201_with_its_location_and_body()
    {
        var code = CreditCodes.Unique();

        using var response = await PostAsync("/enterprises", new
        {
            name = " 美团廊坊站 ",
            creditCode = $" {code.ToLowerInvariant()} ",
            industry = "food-delivery",
            district = "广阳区",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync<EnterpriseResponse>(response);
        Assert.Equal("美团廊坊站", created.Name);
        Assert.Equal(code, created.CreditCode);
        Assert.Equal(Industry.FoodDelivery, created.Industry);
        Assert.Equal("广阳区", created.District);
        Assert.Equal($"/enterprises/{created.Id}", response.Headers.Location?.OriginalString);
        AssertSame(created, await GetOkAsync<EnterpriseResponse>($"/enterprises/{created.Id}"));
    }

    [Fact]
    public async Task The_industry_travels_as_a_kebab_case_word()
    {
        using var response = await PostAsync("/enterprises", ValidEnterprise(industry: "live-stream-ecommerce"));

        Assert.Contains("\"industry\":\"live-stream-ecommerce\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        using var response = await Client.GetAsync(new Uri($"/enterprises/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_credit_code_registered_before_is_a_409_problem()
    {
        var code = CreditCodes.Unique();
        await RegisterEnterpriseAsync(ValidEnterprise(code, name: "饿了么廊坊站"));

        using var again = await PostAsync("/enterprises", ValidEnterprise(code, industry: "express", name: "另一个名字"));

        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains(code, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_credit_code_differing_only_in_case_is_the_same_code()
    {
        var code = CreditCodes.Unique();
        // A code with letters, so that the case matters.
        while (!code.Any(char.IsAsciiLetter))
        {
            code = CreditCodes.Unique();
        }
        await RegisterEnterpriseAsync(ValidEnterprise(code));

        using var again = await PostAsync("/enterprises", ValidEnterprise(code.ToLowerInvariant()));

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
        var all = await GetOkAsync<Page<EnterpriseResponse>>("/enterprises");
        Assert.Single(all.Items, e => e.CreditCode == code);
    }

    [Fact]
    public async Task The_list_is_filtered_by_industry_as_it_is_spelled_in_json()
    {
        var food = await RegisterEnterpriseAsync(ValidEnterprise(industry: "food-delivery", name: "美团廊坊站"));
        await RegisterEnterpriseAsync(ValidEnterprise(industry: "ride-hail", name: "滴滴廊坊"));
        await RegisterEnterpriseAsync(ValidEnterprise(industry: "express", name: "顺丰廊坊"));

        var page = await GetOkAsync<Page<EnterpriseResponse>>("/enterprises?industry=food-delivery");

        AssertSame(food, Assert.Single(page.Items));
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task The_list_is_paged_in_name_order_and_filtered_by_district()
    {
        var district = UniqueDistrict();
        var names = new[] { "C企业", "A企业", "B企业" };
        foreach (var name in names)
        {
            await RegisterEnterpriseAsync(ValidEnterprise(name: name, district: district));
        }
        await RegisterEnterpriseAsync(ValidEnterprise(name: "Z企业", district: UniqueDistrict()));
        var query = $"?district={Uri.EscapeDataString(district)}";

        var first = await GetOkAsync<Page<EnterpriseResponse>>($"/enterprises{query}&pageSize=2");
        var second = await GetOkAsync<Page<EnterpriseResponse>>($"/enterprises{query}&pageSize=2&page=2");

        Assert.Equal(["A企业", "B企业"], first.Items.Select(e => e.Name));
        Assert.Equal(["C企业"], second.Items.Select(e => e.Name));
        Assert.Equal(3, first.Total);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=500", "pageSize")]
    [InlineData("page=abc", "page")]
    public async Task Bad_paging_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetAsync(new Uri($"/enterprises?{query}", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_unknown_industry_filter_is_a_400_problem_naming_industry()
    {
        using var response = await Client.GetAsync(new Uri("/enterprises?industry=space-travel", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "industry");
    }
}
