using Platform.Organizations.Domain;

namespace Platform.Organizations.Tests.Domain;

public class EnterpriseTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);
    private const string Code = "91350100M000100Y43";

    [Fact]
    public void A_valid_enterprise_is_registered_with_trimmed_fields_and_an_upper_case_code()
    {
        var result = Enterprise.Register("  美团廊坊站 ", " 91350100m000100y43 ", Industry.FoodDelivery, " 广阳区 ", Now);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        var enterprise = result.Value!;
        Assert.Equal("美团廊坊站", enterprise.Name);
        Assert.Equal(Code, enterprise.CreditCode);
        Assert.Equal(Industry.FoodDelivery, enterprise.Industry);
        Assert.Equal("广阳区", enterprise.District);
        Assert.Equal(Now, enterprise.RegisteredAt);
        Assert.Equal(7, enterprise.Id.Version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void The_district_is_optional(string? district)
    {
        var result = Enterprise.Register("顺丰速运", Code, Industry.Express, district, Now);

        Assert.True(result.IsValid);
        Assert.Null(result.Value!.District);
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once()
    {
        var result = Enterprise.Register(null, null, null, null, Now);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(["creditCode", "industry", "name"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.Contains("required", Assert.Single(e.Value)));
    }

    [Fact]
    public void A_blank_credit_code_is_missing_not_malformed()
    {
        var result = Enterprise.Register("顺丰速运", "   ", Industry.Express, null, Now);

        Assert.Equal("creditCode is required.", Assert.Single(result.Errors["creditCode"]));
    }

    [Fact]
    public void An_invalid_code_and_other_wrong_fields_are_reported_together()
    {
        var result = Enterprise.Register(new string('名', 201), CreditCodes.WithWrongCheck(Code), null, new string('区', 51), Now);

        Assert.Equal(["creditCode", "district", "industry", "name"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("check character", result.Errors["creditCode"][0]);
        Assert.Contains("at most 200", result.Errors["name"][0]);
        Assert.Contains("at most 50", result.Errors["district"][0]);
    }

    [Theory]
    [InlineData("91350100M000100Y4", "18 characters")]
    [InlineData("91350100M000100YZ3", "I, O, S, V, Z")]
    [InlineData("91A50100M000100Y43", "3 to 8")]
    [InlineData("91350100M000100Y44", "check character")]
    public void The_credit_code_error_says_what_is_wrong(string code, string expected)
    {
        var result = Enterprise.Register("顺丰速运", code, Industry.Express, null, Now);

        Assert.Equal(["creditCode"], result.Errors.Keys);
        Assert.Contains(expected, Assert.Single(result.Errors["creditCode"]));
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted()
    {
        Assert.True(Enterprise.Register(new string('名', 200), Code, Industry.Other, null, Now).IsValid);
    }

    [Theory]
    [InlineData(Industry.Express, "express")]
    [InlineData(Industry.FoodDelivery, "food-delivery")]
    [InlineData(Industry.RideHail, "ride-hail")]
    [InlineData(Industry.LiveStreamEcommerce, "live-stream-ecommerce")]
    [InlineData(Industry.Other, "other")]
    public void The_event_carries_the_industry_as_the_catalogue_spells_it(Industry industry, string code)
    {
        var enterprise = Enterprise.Register("企业", Code, industry, "广阳区", Now).Value!;

        var e = enterprise.ToEvent();

        Assert.Equal(code, e.Industry);
        Assert.Equal(code, Enterprise.IndustryCode(industry));
        Assert.Equal(enterprise.Id, e.EnterpriseId);
        Assert.Equal("企业", e.Name);
        Assert.Equal(Code, e.CreditCode);
        Assert.Equal("广阳区", e.District);
        Assert.Equal(Now, e.RegisteredAt);
    }
}
