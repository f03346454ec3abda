using System.Net;
using System.Text;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>Bad input is answered with RFC 9457 problem details naming the field, never with a 500.</summary>
public sealed class BadInputTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    private const string ValidCommunityJson = """{"name":"银河北路社区","district":"广阳区","street":"银河北路街道","latitude":39.5186,"longitude":116.6946}""";

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"name\": \"银河北路社区\",,}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"a string\"")]
    public async Task Malformed_json_is_a_400_naming_the_body(string body)
    {
        using var response = await PostRawAsync("/communities", body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
        Assert.Equal(["body"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_missing_required_field_is_a_400_naming_it()
    {
        using var response = await PostRawAsync("/communities", """{"district":"广阳区","street":"银河北路街道","latitude":39.5,"longitude":116.7}""");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name");
        Assert.Equal(["name"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_null_or_blank_required_field_is_a_400_naming_it()
    {
        using var response = await PostRawAsync("/communities", """{"name":null,"district":"  ","street":"银河北路街道","latitude":39.5,"longitude":116.7}""");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name", "district");
        Assert.Equal(["district", "name"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Several_missing_fields_are_all_listed_at_once()
    {
        using var response = await PostRawAsync("/communities", "{}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name", "district", "street", "latitude", "longitude");
        Assert.Equal(["district", "latitude", "longitude", "name", "street"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Several_missing_enterprise_fields_are_all_listed_at_once()
    {
        using var response = await PostRawAsync("/enterprises", "{}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name", "creditCode", "industry");
        Assert.Equal(["creditCode", "industry", "name"], ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("\"north\"")]
    [InlineData("\"39.5\"")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task A_wrong_typed_latitude_is_a_400_naming_latitude(string latitude)
    {
        var body = ValidCommunityJson.Replace("\"latitude\":39.5186", $"\"latitude\":{latitude}", StringComparison.Ordinal);

        using var response = await PostRawAsync("/communities", body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "latitude");
        Assert.Equal(["latitude"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_number_for_a_text_field_is_a_400_naming_it()
    {
        var body = ValidCommunityJson.Replace("\"name\":\"银河北路社区\"", "\"name\":42", StringComparison.Ordinal);

        using var response = await PostRawAsync("/communities", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name");
    }

    [Theory]
    [InlineData("id", "\"0190a4c2-0000-7000-8000-000000000000\"")]
    [InlineData("role", "\"admin\"")]
    [InlineData("registeredAt", "\"2020-01-01T00:00:00Z\"")]
    [InlineData("Name2", "\"x\"")]
    public async Task An_unknown_field_is_a_400_naming_it(string field, string value)
    {
        var body = ValidCommunityJson.TrimEnd('}') + $",\"{field}\":{value}}}";

        using var response = await PostRawAsync("/communities", body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Contains($"'{field}'", problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task An_unknown_field_on_an_enterprise_is_a_400_naming_it()
    {
        using var response = await PostRawAsync("/enterprises", $$"""{"name":"美团","creditCode":"{{CreditCodes.Unique()}}","industry":"express","id":"0190a4c2-0000-7000-8000-000000000000"}""");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "id");
    }

    [Theory]
    [InlineData(91.0, 0.0, "latitude")]
    [InlineData(-91.0, 0.0, "latitude")]
    [InlineData(0.0, 181.0, "longitude")]
    [InlineData(0.0, -181.0, "longitude")]
    public async Task Coordinates_out_of_range_are_a_400_naming_the_coordinate(double latitude, double longitude, string field)
    {
        using var response = await PostAsync("/communities", new { name = "社区", district = UniqueDistrict(), street = "街道", latitude, longitude });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal([field], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task Both_coordinates_out_of_range_are_both_listed()
    {
        using var response = await PostAsync("/communities", new { name = "社区", district = UniqueDistrict(), street = "街道", latitude = 91.0, longitude = 181.0 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "latitude", "longitude");
    }

    [Fact]
    public async Task A_credit_code_with_a_wrong_check_character_is_a_400_naming_creditCode()
    {
        using var response = await PostAsync("/enterprises", ValidEnterprise(CreditCodes.WithWrongCheck(CreditCodes.Unique())));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "creditCode");
        Assert.Contains("check character", problem.GetProperty("errors").GetProperty("creditCode")[0].GetString());
    }

    [Theory]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100YI3")]
    [InlineData("91A50100M000100Y43")]
    public async Task A_malformed_credit_code_is_a_400_naming_creditCode(string code)
    {
        using var response = await PostAsync("/enterprises", ValidEnterprise(code));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "creditCode");
    }

    [Theory]
    [InlineData("\"space-travel\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    public async Task An_unknown_industry_is_a_400_naming_industry(string industry)
    {
        using var response = await PostRawAsync("/enterprises", $$"""{"name":"美团","creditCode":"{{CreditCodes.Unique()}}","industry":{{industry}}}""");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "industry");
        Assert.Equal(["industry"], ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task An_empty_body_is_a_400_naming_the_body()
    {
        using var response = await PostRawAsync("/communities", "");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task No_body_at_all_is_a_400_problem()
    {
        using var response = await PostRawAsync("/communities", null);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ProblemAssert.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((int)response.StatusCode is 400 or 415, $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_json_null_body_is_a_400_naming_the_body()
    {
        using var response = await PostRawAsync("/communities", "null");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var response = await PostRawAsync("/communities", "name=银河北路社区", mediaType: "application/x-www-form-urlencoded");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_a_413_problem()
    {
        var name = new string('x', 2 * 1024 * 1024);
        using var content = new StringContent(ValidCommunityJson.Replace("银河北路社区", name, StringComparison.Ordinal), Encoding.UTF8, "application/json");

        using var response = await Client.PostAsync(new Uri("/communities", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_over_1_MiB_without_a_length_is_a_413_problem()
    {
        // Chunked: the server learns the size only while reading.
        var body = Encoding.UTF8.GetBytes(ValidCommunityJson.Replace("银河北路社区", new string('x', 2 * 1024 * 1024), StringComparison.Ordinal));
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/communities", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_a_400_naming_name()
    {
        using var response = await PostAsync("/communities", ValidCommunity(name: new string('名', 101)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "name");
    }

    [Theory]
    [InlineData("/communities?district=%00", "district")]
    [InlineData("/communities?street=%00", "street")]
    [InlineData("/communities?district=%E5%B9%BF%1B%5B31m", "district")]
    [InlineData("/enterprises?district=%00", "district")]
    [InlineData("/enterprises/uncovered?district=%00", "district")]
    public async Task A_query_filter_with_a_control_character_is_a_400_naming_it(string pathAndQuery, string field)
    {
        using var response = await Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal([field], ProblemAssert.ErrorFields(problem));
    }

    [Theory]
    [InlineData("name", "\\u0000")]
    [InlineData("district", "\\u0000")]
    [InlineData("street", "\\u0000")]
    [InlineData("name", "\\u0007")]
    [InlineData("name", "\\u007f")]
    [InlineData("street", "\\ud800")]
    [InlineData("street", "\\udc00x")]
    public async Task A_text_field_with_a_control_character_or_half_a_surrogate_pair_is_a_400_and_stores_nothing(string field, string escaped)
    {
        var district = UniqueDistrict();
        var body = $$"""{"name":"银河北路社区","district":"{{district}}","street":"银河北路街道","latitude":39.5186,"longitude":116.6946}""";
        body = field == "district"
            ? body.Replace(district, district + escaped, StringComparison.Ordinal)
            : body.Replace(field == "name" ? "银河北路社区" : "银河北路街道", "银河" + escaped + "北路", StringComparison.Ordinal);

        using var response = await PostRawAsync("/communities", body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal([field], ProblemAssert.ErrorFields(problem));
        Assert.Equal(0L, await Service.ScalarAsync<long>("SELECT count(*) FROM communities WHERE \"District\" LIKE @d || '%'", ("d", district)));
    }

    [Fact]
    public async Task Tabs_line_breaks_and_characters_beyond_the_basic_plane_are_text()
    {
        // 𠀀 (U+20000) is a surrogate pair in .NET: whole pairs are valid text.
        using var response = await PostAsync("/communities", ValidCommunity(district: UniqueDistrict(), name: "银河\t北路社区𠀀", street: "银河北路\n街道"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_route_id_that_is_not_a_guid_is_404_not_500()
    {
        using var response = await Client.GetAsync(new Uri("/communities/not-a-guid", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
