using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Messaging;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>What a test asks the kit's creating POST to do (it records one <see cref="KitEffect"/> with sequence -1).</summary>
public sealed record KitOrder(Guid Id, bool Refuse = false, bool FailAfterSave = false, int HoldMs = 0, bool PublishEvent = false);

public sealed record KitCreated(long EffectId, Guid OrderId);

/// <summary>
/// A web service wired like the real ones (its own database, outbox, inbox consumer) with creating POSTs behind
/// <see cref="Idempotency.AcceptsIdempotencyKey{TBuilder}"/>: one handler that saves directly, one that opens a
/// transaction of its own.
/// </summary>
public sealed class KitWebService : IAsyncDisposable
{
    public const int HandlerSequence = -1;
    public const int EventSequence = 7;

    /// <summary>Set when a handler has saved its write (before holding, failing or answering).</summary>
    public static ConcurrentDictionary<Guid, TaskCompletionSource> Saved { get; } = new();

    private readonly WebApplication _app;

    private KitWebService(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KitWebService> StartAsync(LocalInfrastructure infrastructure, string name)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = name, EnvironmentName = "Test" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{name}-db"] = infrastructure.PostgresConnectionString(name),
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMqConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDatabase<KitDb>($"{name}-db");
        builder.AddMessaging<KitDb>(bus => bus.AddConsumer<KitConsumer>());
        var app = builder.Build();
        app.MapPost("/effects", Create).AcceptsIdempotencyKey();
        app.MapPost("/effects/in-own-transaction", CreateInOwnTransaction).AcceptsIdempotencyKey();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var health = await app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (health != BusHealthStatus.Healthy)
        {
            throw new TimeoutException("The test service's bus did not become healthy within 30 s.");
        }
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        return new KitWebService(app, client);
    }

    private static async Task<Results<Created<KitCreated>, Conflict<string>>> Create(KitOrder order, KitDb db, CancellationToken ct)
    {
        if (order.Refuse)
        {
            return TypedResults.Conflict("refused");
        }
        var effect = new KitEffect { EventId = order.Id, Sequence = HandlerSequence };
        db.Effects.Add(effect);
        if (order.PublishEvent)
        {
            db.Publish(new KitEvent(order.Id, EventSequence));
        }
        await db.SaveChangesAsync(ct);
        return await AfterSaveAsync(order, effect, ct);
    }

    /// <summary>Like the handlers that lock rows under a transaction of their own; a refusal undoes its write.</summary>
    private static async Task<Results<Created<KitCreated>, Conflict<string>>> CreateInOwnTransaction(KitOrder order, KitDb db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginOrJoinTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(42)", ct);
        var effect = new KitEffect { EventId = order.Id, Sequence = HandlerSequence };
        db.Effects.Add(effect);
        await db.SaveChangesAsync(ct);
        if (order.Refuse)
        {
            return TypedResults.Conflict("refused after writing");
        }
        await tx.CommitAsync(ct);
        return await AfterSaveAsync(order, effect, ct);
    }

    private static async Task<Results<Created<KitCreated>, Conflict<string>>> AfterSaveAsync(KitOrder order, KitEffect effect, CancellationToken ct)
    {
        if (Saved.TryGetValue(order.Id, out var saved))
        {
            saved.TrySetResult();
        }
        if (order.HoldMs > 0)
        {
            await Task.Delay(order.HoldMs, ct);
        }
        if (order.FailAfterSave)
        {
            throw new InvalidOperationException("The handler fails after its write was saved.");
        }
        return TypedResults.Created($"/effects/{effect.Id}", new KitCreated(effect.Id, order.Id));
    }

    public async Task<int> EffectsAsync(Guid orderId, int sequence)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KitDb>();
        return await db.Effects.CountAsync(e => e.EventId == orderId && e.Sequence == sequence);
    }

    public async Task<int> PendingAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KitDb>().Set<OutboxMessage>().CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Services.GetRequiredService<IBusControl>().StopAsync(timeout.Token);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
