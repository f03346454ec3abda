namespace Platform.Partners.Application;

/// <summary>Settings under <c>Platform:Partners</c>.</summary>
public sealed class PartnersOptions
{
    /// <summary>How often the sender looks for due deliveries when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Deliveries claimed per round.</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>Deliveries in flight at once from this instance, all agencies together.</summary>
    public int MaxInFlight { get; set; } = 256;
    /// <summary>How long a claimed delivery belongs to this instance before another may take it over (a crash mid-send).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long one attempt may take, connection included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Waits between attempts, comma-separated (default: the Standard Webhooks schedule over 27.6 hours).</summary>
    public string? RetryDelays { get; set; }
    /// <summary>How often the monthly rights-case counts are checked for a month that has ended.</summary>
    public TimeSpan ReportCheckInterval { get; set; } = TimeSpan.FromMinutes(10);
}
