using System.Text.Json;
using System.Text.Json.Nodes;
using Yarp.ReverseProxy;

namespace Platform.Gateway.ApiDocument;

/// <summary>
/// Fetches each service's OpenAPI document (<c>/openapi/v1.json</c>, through service discovery, each within a
/// timeout and all at once) and keeps the merged result. A service that does not answer is left out and named in the
/// document; the merge is retried sooner while one is missing. The docs page never waits on a hung service for long.
/// </summary>
/// <remarks>Settings under <c>Platform:ApiDocument</c>: <c>RefreshSeconds</c> (300), <c>RetrySeconds</c> when a
/// service was missing (15), <c>FetchTimeoutSeconds</c> per service (5).</remarks>
public sealed partial class ApiDocumentSource(
    IProxyStateLookup proxy,
    IHttpClientFactory httpClients,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<ApiDocumentSource> logger) : IDisposable
{
    public const string HttpClientName = "api-documents";
    public const string ServiceDocumentPath = "/openapi/v1.json";

    // Served as application/json, never inlined into HTML: Chinese descriptions and apostrophes stay readable.
    private static readonly JsonSerializerOptions Output = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _building = new(1, 1);
    private Built? _current;

    /// <summary>The merged document of every service.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken) => (await GetBuiltAsync(cancellationToken)).Json;

    /// <summary>
    /// One service's part of the API, as the merged document has it (gateway paths, its schemas, the sign-in flows):
    /// <see cref="ServiceDocument.Unknown"/> for a name the gateway does not route, null JSON while it does not answer.
    /// </summary>
    public async Task<ServiceDocument> GetServiceAsync(string service, CancellationToken cancellationToken) =>
        (await GetBuiltAsync(cancellationToken)).Services.TryGetValue(service, out var json)
            ? new ServiceDocument(Known: true, json)
            : ServiceDocument.Unknown;

    private async Task<Built> GetBuiltAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && !IsStale(fresh))
        {
            return fresh;
        }
        await _building.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } other && !IsStale(other))
            {
                return other;
            }
            _current = await BuildAsync(cancellationToken);
            return _current;
        }
        finally
        {
            _building.Release();
        }
    }

    private bool IsStale(Built built)
    {
        var section = configuration.GetSection("Platform:ApiDocument");
        var maxAge = built.Complete
            ? TimeSpan.FromSeconds(section.GetValue<int?>("RefreshSeconds") ?? 300)
            : TimeSpan.FromSeconds(section.GetValue<int?>("RetrySeconds") ?? 15);
        return clock.GetUtcNow() - built.At > maxAge;
    }

    private async Task<Built> BuildAsync(CancellationToken cancellationToken)
    {
        var routes = new GatewayRouteMap(proxy.GetRoutes().Select(r => r.Config));
        var clusters = proxy.GetClusters()
            .Select(c => (Service: c.ClusterId, Address: c.Model.Config.Destinations?.Values.FirstOrDefault()?.Address))
            .Where(c => c.Address is not null)
            .ToList();
        var documents = await Task.WhenAll(clusters.Select(c => FetchAsync(c.Service, c.Address!, cancellationToken)));
        var issuer = configuration["Platform:Auth:Issuer"] ?? Platform.ServiceDefaults.Security.PlatformAuthentication.DefaultIssuer;
        var tokenUrl = issuer.TrimEnd('/') + "/connect/token";
        // Each service's own document first: the merge renames the schemas of the documents it is given.
        var services = clusters.Select((c, i) => (c.Service, Json: documents[i] is { } document
                ? ApiDocumentMerger.Merge([(c.Service, (JsonObject)document.DeepClone())], routes, tokenUrl).ToJsonString(Output)
                : null))
            .ToDictionary(s => s.Service, s => s.Json, StringComparer.Ordinal);
        var merged = ApiDocumentMerger.Merge(clusters.Select((c, i) => (c.Service, documents[i])).ToList(), routes, tokenUrl);
        return new Built(merged.ToJsonString(Output), services, clock.GetUtcNow(), documents.All(d => d is not null));
    }

    private async Task<JsonObject?> FetchAsync(string service, string address, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(configuration.GetValue<int?>("Platform:ApiDocument:FetchTimeoutSeconds") ?? 5);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(new Uri(new Uri(address), ServiceDocumentPath), bounded.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogUnavailable(logger, service, $"status {(int)response.StatusCode}");
                return null;
            }
            await using var body = await response.Content.ReadAsStreamAsync(bounded.Token);
            return await JsonNode.ParseAsync(body, cancellationToken: bounded.Token) as JsonObject;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException
                                       && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, service, e.GetType().Name);
            return null;
        }
    }

    public void Dispose() => _building.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API document of {Service} could not be fetched ({Reason}); it is left out of the merged document")]
    private static partial void LogUnavailable(ILogger logger, string service, string reason);

    private sealed record Built(string Json, IReadOnlyDictionary<string, string?> Services, DateTimeOffset At, bool Complete);
}

/// <summary>One service's API document at the gateway: whether the gateway routes to it, and its JSON while it answers.</summary>
public sealed record ServiceDocument(bool Known, string? Json)
{
    public static readonly ServiceDocument Unknown = new(false, null);
}
