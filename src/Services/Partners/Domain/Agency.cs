namespace Platform.Partners.Domain;

/// <summary>
/// A partner agency (urban-management bureau, Red Cross, trade union...) registered by an operator. It signs in
/// with its own client in the identity service (client credentials); <see cref="ClientId"/> links the two.
/// </summary>
public sealed class Agency
{
    public const int NameMaxLength = 200;
    public const int ClientIdMaxLength = 100;
    /// <summary>Deliveries in flight at once to one agency, so one slow agency cannot hold the others up.</summary>
    public const int DefaultConcurrency = 8;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public int MaxConcurrentDeliveries { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    private Agency() { }

    public static Agency Register(string name, string clientId, int? maxConcurrentDeliveries, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name,
        ClientId = clientId,
        MaxConcurrentDeliveries = maxConcurrentDeliveries ?? DefaultConcurrency,
        RegisteredAt = now,
    };
}

/// <summary>A host an operator allows callbacks to reach although it is not public (a receiver in a local run).</summary>
public sealed class AllowedHost
{
    public string Host { get; private set; } = "";
    public DateTimeOffset AllowedAt { get; private set; }

    private AllowedHost() { }

    public static AllowedHost Allow(string host, DateTimeOffset now) => new() { Host = Normalize(host), AllowedAt = now };

    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();
}

/// <summary>Which district a station is in, remembered from its events so that its closure can be filtered by district.</summary>
public sealed class StationDistrict
{
    public Guid StationId { get; set; }
    public string District { get; set; } = "";
}
