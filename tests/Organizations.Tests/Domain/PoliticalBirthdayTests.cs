using Platform.Organizations.Domain;

namespace Platform.Organizations.Tests.Domain;

public class PoliticalBirthdayTests
{
    [Fact]
    public void The_next_anniversary_is_this_year_or_next()
    {
        var joined = new DateOnly(2010, 7, 1);

        Assert.Equal(new DateOnly(2022, 7, 1), PoliticalBirthday.Next(joined, new DateOnly(2022, 6, 20)));
        Assert.Equal(new DateOnly(2022, 7, 1), PoliticalBirthday.Next(joined, new DateOnly(2022, 7, 1)));
        Assert.Equal(new DateOnly(2023, 7, 1), PoliticalBirthday.Next(joined, new DateOnly(2022, 7, 2)));
    }

    [Fact]
    public void Joined_on_29_February_is_celebrated_on_28_February_in_other_years()
    {
        var joined = new DateOnly(2012, 2, 29);

        Assert.Equal(new DateOnly(2023, 2, 28), PoliticalBirthday.Next(joined, new DateOnly(2023, 1, 10)));
        Assert.Equal(new DateOnly(2024, 2, 29), PoliticalBirthday.Next(joined, new DateOnly(2024, 2, 28)));
        Assert.Equal(new DateOnly(2025, 2, 28), PoliticalBirthday.Next(joined, new DateOnly(2024, 3, 1)));
    }

    [Fact]
    public void The_joining_day_itself_is_not_an_anniversary()
    {
        Assert.Equal(new DateOnly(2023, 5, 4), PoliticalBirthday.Next(new DateOnly(2022, 5, 4), new DateOnly(2022, 5, 4)));
    }

    [Fact]
    public void A_window_over_28_February_of_a_common_year_includes_29_February()
    {
        var keys = PoliticalBirthday.KeysInWindow(new DateOnly(2023, 2, 27), 2);

        Assert.Equal([227, 228, 229], keys.Order());
    }

    [Fact]
    public void In_a_leap_year_29_February_is_its_own_day()
    {
        Assert.Equal([228], PoliticalBirthday.KeysInWindow(new DateOnly(2024, 2, 28), 1));
        Assert.Equal([228, 229], PoliticalBirthday.KeysInWindow(new DateOnly(2024, 2, 28), 2).Order());
    }

    [Fact]
    public void A_window_wraps_over_the_new_year()
    {
        var keys = PoliticalBirthday.KeysInWindow(new DateOnly(2022, 12, 30), 4);

        Assert.Equal([101, 102, 1230, 1231], keys.Order());
    }
}
