using Platform.Stations.Domain;

namespace Platform.Stations.Tests.Domain;

public sealed class StationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_six_cans_follow_from_the_amenities()
    {
        Assert.Equal(
            [SixCan.WarmUp, SixCan.CoolDown, SixCan.Drink, SixCan.Rest, SixCan.GetMedicine, SixCan.Charge],
            Amenities.SixCans(Amenity.Heating | Amenity.Cooling | Amenity.Water | Amenity.Rest | Amenity.Medicine | Amenity.Charging));
        Assert.Equal([SixCan.GetMedicine], Amenities.SixCans(Amenity.FirstAidKit | Amenity.Microwave | Amenity.WiFi));
        Assert.Empty(Amenities.SixCans(Amenity.Reading | Amenity.Umbrellas));
    }

    [Fact]
    public void Low_stock_is_reported_once_per_crossing_not_on_every_change_below()
    {
        var supply = StationSupply.Track(Guid.NewGuid(), SupplyItem.Masks, Now);
        Assert.False(supply.Restock(20, Now));
        Assert.False(supply.SetThreshold(5, Now));

        Assert.False(supply.Use(14, Now)); // 6 left: above
        Assert.True(supply.Use(1, Now)); // 5: crosses
        Assert.False(supply.Use(2, Now)); // 3: still low
        Assert.False(supply.Restock(1, Now)); // 4: still low
        Assert.False(supply.Restock(10, Now)); // 14: recovered
        Assert.False(supply.IsLow);
        Assert.True(supply.Use(10, Now)); // 4: crosses again
        Assert.True(supply.IsLow);
    }

    [Fact]
    public void Raising_the_threshold_above_the_stock_is_a_crossing()
    {
        var supply = StationSupply.Track(Guid.NewGuid(), SupplyItem.Water, Now);
        supply.Restock(10, Now);

        Assert.True(supply.SetThreshold(10, Now));
        Assert.False(supply.SetThreshold(12, Now));
    }

    [Fact]
    public void A_check_in_code_is_valid_only_for_its_station_and_only_with_the_service_key()
    {
        var codes = new CheckInCodes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var other = new CheckInCodes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var station = Guid.NewGuid();
        var neighbour = Guid.NewGuid();
        var code = codes.For(station);

        Assert.Equal(CodeCheck.Valid, codes.Check(code, station));
        Assert.Equal(CodeCheck.OtherStation, codes.Check(codes.For(neighbour), station));
        Assert.Equal(CodeCheck.Forged, codes.Check(other.For(station), station));
        Assert.Equal(CodeCheck.Forged, codes.Check(code.Replace(station.ToString("N"), neighbour.ToString("N"), StringComparison.Ordinal), neighbour));
        Assert.Equal(CodeCheck.Forged, codes.Check(code[..^2], station));
        Assert.Equal(CodeCheck.Forged, codes.Check("RS1." + station.ToString("N"), station));
        Assert.Equal(CodeCheck.Forged, codes.Check("", station));
    }

    [Fact]
    public void Check_ins_are_counted_by_shanghai_date_and_hour()
    {
        // 2026-11-25 16:30 UTC is 26 November 00:30 in Shanghai.
        var checkIn = CheckIn.Record(Guid.NewGuid(), Guid.NewGuid(), new DateTimeOffset(2026, 11, 25, 16, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 11, 26), checkIn.LocalDate);
        Assert.Equal(0, checkIn.LocalHour);
    }

    [Fact]
    public void Guest_book_messages_have_a_length_limit()
    {
        Assert.False(GuestBookEntry.Write(Guid.NewGuid(), Guid.NewGuid(), new string('好', GuestBookEntry.TextMaxLength + 1), Now).IsValid);
        Assert.False(GuestBookEntry.Write(Guid.NewGuid(), Guid.NewGuid(), "  ", Now).IsValid);
        Assert.True(GuestBookEntry.Write(Guid.NewGuid(), Guid.NewGuid(), "谢谢驿站的热水！", Now).IsValid);
    }
}
