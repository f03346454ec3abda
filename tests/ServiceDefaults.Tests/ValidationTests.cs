using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Tests;

public class ValidationTests
{
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
}
