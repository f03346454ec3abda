using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Http;

/// <summary>
/// Runs the partners service (its real Program) against a fresh database on the test PostgreSQL server and the test
/// RabbitMQ node, with a short retry schedule, and receivers on loopback that the operator allow-lists.
/// Tests keep their events apart with districts of their own (the queues on the broker are shared).
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class PartnersApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "partners")
{
    /// <summary>Three quick retries: four attempts within about two seconds.</summary>
    protected static readonly Dictionary<string, string> FastRetries = new()
    {
        ["Platform:Partners:RetryDelays"] = "00:00:00.200, 00:00:00.400, 00:00:00.800",
        ["Platform:Partners:PollInterval"] = "00:00:00.050",
    };

    private readonly List<WebhookReceiver> _receivers = [];

    protected HttpClient Operator { get; private set; } = null!;
    protected string District { get; } = $"区{Guid.NewGuid():N}"[..12];

    /// <summary>Settings of this class's service (override for other schedules).</summary>
    protected override IReadOnlyDictionary<string, string> Settings => FastRetries;

    /// <summary>Whether the operator allow-lists 127.0.0.1 for the receivers (tests of the refusal turn it off).</summary>
    protected virtual bool AllowLoopback => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Operator = ClientFor(TestTokens.For(PlatformRoles.Operator));
        if (AllowLoopback)
        {
            (await Operator.PutAsync("/allowed-hosts/127.0.0.1", null)).EnsureSuccessStatusCode();
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var receiver in _receivers)
        {
            await receiver.DisposeAsync();
        }
    }

    /// <summary>Replaces the running service by a new process on the same database: a restart (the operator's client follows it).</summary>
    protected override async Task RestartAsync()
    {
        await base.RestartAsync();
        Operator = ClientFor(TestTokens.For(PlatformRoles.Operator));
    }

    protected async Task<WebhookReceiver> StartReceiverAsync()
    {
        var receiver = await WebhookReceiver.StartAsync();
        _receivers.Add(receiver);
        return receiver;
    }

    /// <summary>Registers an agency (operator) and returns a client signed in as that agency's system.</summary>
    protected async Task<HttpClient> RegisterAgencyAsync(int? maxConcurrentDeliveries = null)
    {
        var clientId = $"agency-{Guid.NewGuid():N}"[..20];
        var response = await Operator.PostAsJsonAsync("/agencies", new { name = $"机构 {clientId}", clientId, maxConcurrentDeliveries });
        response.EnsureSuccessStatusCode();
        return AgencyClient(clientId);
    }

    protected HttpClient AgencyClient(string clientId) =>
        ClientFor(TestTokens.For(PlatformRoles.PartnerAgency, null, (PlatformClaims.ClientId, clientId)));

    /// <summary>Subscribes the receiver; returns the subscription id and gives the receiver the secret.</summary>
    protected static async Task<Guid> SubscribeAsync(HttpClient agency, WebhookReceiver receiver, string[] eventTypes,
        string[]? districts = null, string[]? categories = null)
    {
        var response = await agency.PostAsJsonAsync("/subscriptions", new { eventTypes, districts, categories, callbackUrl = receiver.Url.ToString() });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"Subscribing failed: {(int)response.StatusCode} {body}");
        receiver.Secrets = [body.GetProperty("secret").GetString()!];
        return body.GetProperty("subscription").GetProperty("id").GetGuid();
    }

    protected Task PublishAsync<T>(T message) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return Service.Services.GetRequiredService<IBus>().Publish(message, timeout.Token);
    }

    protected static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    protected static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Eventually.Until(_ => probe(), done, what, timeout);
}
