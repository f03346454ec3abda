using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.AppHost.Infrastructure;

/// <summary>
/// Health checks that notice a starting resource become ready at once. The app host re-checks an unhealthy resource
/// after 1, 2, 3, 4 and then every 5 s, so a broker that is ready 8 s after its start was seen only at 15 or 20 s,
/// and everything waiting for it started that much later. These checks instead keep trying every quarter second
/// for a while before they answer unhealthy: a healthy answer is never delayed, an unhealthy one by at most
/// <see cref="Patience"/>.
/// </summary>
public static class PromptHealthChecks
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>Registers <paramref name="check"/> under <paramref name="key"/> for the app host's monitoring of a resource.</summary>
    public static void AddPromptCheck(this IDistributedApplicationBuilder builder, string key, Func<CancellationToken, Task<HealthCheckResult>> check) =>
        builder.Services.AddHealthChecks().AddAsyncCheck(key, ct => UntilHealthyAsync(check, ct));

    /// <summary>Like <c>WithHttpHealthCheck</c>: healthy when GET <paramref name="path"/> on the resource's http endpoint answers 2xx.</summary>
    public static IResourceBuilder<T> WithPromptHttpHealthCheck<T>(this IResourceBuilder<T> resource, string path)
        where T : IResourceWithEndpoints
    {
        var endpoint = resource.Resource.GetEndpoint("http");
        var key = $"{resource.Resource.Name}_http{path.Replace('/', '_')}";
        resource.ApplicationBuilder.AddPromptCheck(key, async ct =>
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy("The endpoint is not allocated yet.");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri(new Uri(endpoint.Url), path), ct);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"GET {path} answered {(int)response.StatusCode}.");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"GET {path}: {ex.Message}");
            }
        });
        return resource.WithHealthCheck(key);
    }

    private static async Task<HealthCheckResult> UntilHealthyAsync(Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken ct)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var result = await check(ct);
            if (result.Status == HealthStatus.Healthy || TimeProvider.System.GetTimestamp() >= deadline)
            {
                return result;
            }
            await Task.Delay(Every, ct);
        }
    }
}
