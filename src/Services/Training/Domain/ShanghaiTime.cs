namespace Platform.Training.Domain;

/// <summary>Times are stored in UTC and shown in Asia/Shanghai (UTC+8 all year: China has no daylight saving).</summary>
public static class ShanghaiTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTimeOffset ToShanghai(this DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToShanghai().DateTime);
}
