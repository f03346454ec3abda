using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.TestSupport;

namespace Platform.Gateway.Tests;

/// <summary>What a fake service saw of one request.</summary>
public sealed record SeenRequest(string Method, string Path, string? Authorization, string? RequestId, string? ForwardedPrefix, long? BodyLength);

/// <summary>
/// Stand-ins for two services (organizations and stations), each with a few real minimal-API endpoints and its own
/// generated OpenAPI document (both name a schema "Community", as real services would), answering every other path
/// with what reached it. Plus a stopped service (nothing listens, for the fixture's whole life) and a hung one (accepts, never answers).
/// </summary>
public sealed class FakeServices : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private TcpListener? _hung;

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    /// <summary>While false, the services answer their API document with 503, as a service still starting does.</summary>
    public bool DocumentsAnswer { get; set; } = true;
    public string OrganizationsUrl { get; private set; } = "";
    public string StationsUrl { get; private set; } = "";
    public string ClosedUrl { get; private set; } = "";
    public string HungUrl { get; private set; } = "";

    public static async Task<FakeServices> StartAsync()
    {
        var fakes = new FakeServices();
        fakes.OrganizationsUrl = await fakes.StartServiceAsync(app =>
        {
            app.MapGet("/communities/{id:guid}", (Guid id) => TypedResults.Ok(new Organizations.Community(id, "银河北路社区")))
                .WithName("GetCommunity").WithTags("Communities");
            app.MapPost("/communities", (Organizations.CommunityDraft draft) =>
                    TypedResults.Created($"/communities/{Guid.Empty}", new Organizations.Community(Guid.Empty, draft.Name)))
                .WithName("RegisterCommunity").WithTags("Communities");
        });
        fakes.StationsUrl = await fakes.StartServiceAsync(app =>
        {
            app.MapGet("/stations/nearby", (double latitude, double longitude) => TypedResults.Ok(new[] { new Stations.Station(Guid.NewGuid(), "暖心驿站", new Stations.Community(Guid.NewGuid())) }))
                .WithName("FindNearbyStations").WithTags("Stations");
            app.MapPost("/stations", (Stations.Station station) => TypedResults.Created($"/stations/{station.Id}", station))
                .WithName("OpenStation").WithTags("Stations");
        });
        fakes._hung = new TcpListener(IPAddress.Loopback, 0);
        fakes._hung.Start();
        fakes.HungUrl = $"http://127.0.0.1:{((IPEndPoint)fakes._hung.LocalEndpoint).Port}";
        // Not a port released by a listener: another test process's server could be given it a moment later (and
        // answer 404 where a 503 was expected). A reserved port stays this process's and nothing here listens on it.
        fakes.ClosedUrl = $"http://127.0.0.1:{ReservedPorts.Next()}";
        return fakes;
    }

    private async Task<string> StartServiceAsync(Action<WebApplication> mapApi)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (!DocumentsAnswer && context.Request.Path.StartsWithSegments("/openapi"))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            await next(context);
        });
        app.MapOpenApi();
        mapApi(app);
        app.Map("/{**path}", async (HttpContext ctx) =>
        {
            long? length = null;
            if (ctx.Request.ContentLength is not null || ctx.Request.Headers.TransferEncoding.Count > 0)
            {
                using var buffer = new MemoryStream();
                await ctx.Request.Body.CopyToAsync(buffer);
                length = buffer.Length;
            }
            var seen = new SeenRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.Headers.Authorization.FirstOrDefault(),
                ctx.Request.Headers["X-Request-Id"].FirstOrDefault(), ctx.Request.Headers["X-Forwarded-Prefix"].FirstOrDefault(), length);
            Seen.Enqueue(seen);
            ctx.Response.Headers.Server = "Kestrel";
            return Results.Json(seen);
        }).ExcludeFromDescription();
        await app.StartAsync();
        _apps.Add(app);
        return app.Urls.Single();
    }

    public bool Reached(string marker) => Seen.Any(s => s.Path.Contains(marker, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        _hung?.Stop();
        _hung?.Dispose();
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
