using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Tests;

public class ValidationTests
{
    [Theory]
    [InlineData("\0")]
    [InlineData("广阳\u0001区")]
    [InlineData("\u001b[31m")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    public void Control_characters_other_than_tab_and_line_breaks_are_refused(string text) =>
        Assert.Contains("control character", TextRules.Refusal(text));

    // Built in code, not as InlineData: the test runner carries theory data as UTF-8, which turns half a pair into U+FFFD.
    [Fact]
    public void Half_a_surrogate_pair_is_refused()
    {
        foreach (var text in new[] { "\ud800", "a\udc00b", "\ud800\ud800\udc00", "end\ud83d" })
        {
            Assert.Contains("surrogate", TextRules.Refusal(text));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("银河北路社区")]
    [InlineData("line one\r\nline two\tend")]
    [InlineData("\ud840\udc00 and 😀")]
    public void Ordinary_text_is_accepted(string text) => Assert.Null(TextRules.Refusal(text));

    [Theory]
    [InlineData("""{"district":"广阳\u0000区"}""", "district", "control character U+0000")]
    [InlineData("""{"district":"\ud800"}""", "district", "surrogate")]
    public void A_json_string_with_bad_text_fails_to_read_at_its_path(string json, string field, string reason)
    {
        var error = Assert.Throws<System.Text.Json.JsonException>(() =>
            System.Text.Json.JsonSerializer.Deserialize<DistrictOnly>(json, Microsoft.Extensions.Hosting.PlatformJson.ConfigureForRequests(new(System.Text.Json.JsonSerializerDefaults.Web))));
        Assert.Equal("$." + field, error.Path);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void What_the_platform_stored_itself_is_read_whatever_its_text()
    {
        // Outbox payloads and stored documents are read with the plain conventions: an earlier row never stops a reader.
        var read = System.Text.Json.JsonSerializer.Deserialize<DistrictOnly>("""{"district":"广阳\u0001区"}""", Microsoft.Extensions.Hosting.PlatformJson.Options);
        Assert.Equal("广阳\u0001区", read!.District);
    }

    private sealed record DistrictOnly(string District);

    [Fact]
    public void Every_missing_or_wrong_field_is_reported_at_once()
    {
        var errors = new FieldErrors();
        errors.Text("name", null, 10);
        errors.Text("street", "   ", 10);
        errors.Range("latitude", 91, -90, 90);
        errors.Range("longitude", null, -180, 180);

        var all = errors.ToDictionary();
        Assert.Equal(["latitude", "longitude", "name", "street"], all.Keys.Order());
        Assert.Contains("between -90 and 90", all["latitude"][0]);
        Assert.Contains("required", all["longitude"][0]);
    }

    [Fact]
    public void Text_is_trimmed_and_limited()
    {
        var errors = new FieldErrors();
        Assert.Equal("广阳区", errors.Text("district", "  广阳区 ", 10));
        Assert.False(errors.Any);
        errors.Text("district", new string('x', 11), 10);
        Assert.Contains("at most 10", errors.ToDictionary()["district"][0]);
    }

    [Fact]
    public void Not_a_number_is_not_in_range()
    {
        var errors = new FieldErrors();
        errors.Range("latitude", double.NaN, -90, 90);
        Assert.True(errors.Any);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(1, 200, true)]
    [InlineData(0, 10, false)]
    [InlineData(1, 0, false)]
    [InlineData(1, 201, false)]
    public void Paging_is_bounded(int? page, int? pageSize, bool valid)
    {
        var query = new PageQuery(page, pageSize);
        Assert.Equal(valid, query.Validate().Count == 0);
    }

    [Fact]
    public void Paging_skips_whole_pages()
    {
        var query = new PageQuery(3, 20);
        Assert.Equal(40, query.Skip);
        Assert.Equal(20, query.Size);
        Assert.Equal(PageQuery.DefaultPageSize, new PageQuery(null, null).Size);
    }

    [Fact]
    public void A_page_carries_items_made_for_its_rows_and_keeps_its_place_and_total()
    {
        var page = new Page<int>([7, 8], 3, 2, 41);

        var answered = page.With<int, string>(["seven", "eight"]);

        Assert.Equal(["seven", "eight"], answered.Items);
        Assert.Equal((3, 2, 41L), (answered.PageNumber, answered.PageSize, answered.Total));
        // One item per row: a lost or an extra row would silently shift every item after it.
        Assert.Throws<ArgumentException>(() => page.With<int, string>(["seven"]));
    }
}
