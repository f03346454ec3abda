using System.Net;
using System.Net.Http.Json;
using Platform.ServiceDefaults.Http;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

/// <summary>
/// The <c>Idempotency-Key</c> promise, "nothing is created twice", where a phone breaks it: retries that overlap the
/// first request, and first requests that end after their write but before their answer was stored.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class IdempotencyKitTests(LocalInfrastructure infrastructure) : IAsyncLifetime
{
    private const string Replayed = "Idempotent-Replayed";
    private static readonly TimeSpan EffectTimeout = TimeSpan.FromSeconds(30);
    private KitWebService _service = null!;

    public async Task InitializeAsync() => _service = await KitWebService.StartAsync(infrastructure, $"idem{Guid.NewGuid():N}"[..14]);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Retries_sent_while_the_first_request_still_runs_create_once_and_all_get_its_answer()
    {
        for (var round = 0; round < 4; round++)
        {
            var order = new KitOrder(Guid.NewGuid(), HoldMs: 300);
            var key = Guid.NewGuid().ToString();

            var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync("/effects", order, key)));
            try
            {
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
                var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
                Assert.Single(bodies.Distinct());
                Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
                Assert.Single(responses, r => !r.Headers.Contains(Replayed));
                Assert.Equal(1, await _service.EffectsAsync(order.Id, KitWebService.HandlerSequence));
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task A_request_that_fails_after_its_write_leaves_nothing_and_its_retry_creates_once()
    {
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid();

        using var failed = await PostAsync("/effects", new KitOrder(id, FailAfterSave: true, PublishEvent: true), key);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(0, await _service.EffectsAsync(id, KitWebService.HandlerSequence));
        // Its event was rolled back with it: nothing waits in the outbox, nothing reaches a consumer.
        Assert.Equal(0, await _service.PendingAsync());

        using var retry = await PostAsync("/effects", new KitOrder(id, PublishEvent: true), key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains(Replayed));
        Assert.Equal(1, await _service.EffectsAsync(id, KitWebService.HandlerSequence));
        // The retry's event is dispatched once its transaction commits, and it is the only one.
        await Eventually.Until(_ => _service.EffectsAsync(id, KitWebService.EventSequence), n => n >= 1, "the retry's event took effect", EffectTimeout);
        await Eventually.Until(_ => _service.PendingAsync(), n => n == 0, "the outbox drained", EffectTimeout);
        Assert.Equal(1, await _service.EffectsAsync(id, KitWebService.EventSequence));
    }

    [Fact]
    public async Task A_request_the_phone_gave_up_on_after_the_write_keeps_nothing_and_its_retry_creates_once()
    {
        var key = Guid.NewGuid().ToString();
        var order = new KitOrder(Guid.NewGuid(), HoldMs: 10_000);
        var saved = KitWebService.Saved.GetOrAdd(order.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        // The phone loses patience after the server saved the write but before it answered.
        using var giveUp = new CancellationTokenSource();
        var abandoned = PostAsync("/effects", order, key, giveUp.Token);
        await saved.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        using var retry = await PostAsync("/effects", order with { HoldMs = 0 }, key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, await _service.EffectsAsync(order.Id, KitWebService.HandlerSequence));
    }

    [Fact]
    public async Task A_refused_request_releases_its_key_so_a_corrected_retry_runs()
    {
        var key = Guid.NewGuid().ToString();
        var id = Guid.NewGuid();

        using var refused = await PostAsync("/effects", new KitOrder(id, Refuse: true), key);
        using var corrected = await PostAsync("/effects", new KitOrder(id), key);
        using var repeated = await PostAsync("/effects", new KitOrder(id), key);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.False(corrected.Headers.Contains(Replayed));
        Assert.Equal(["true"], repeated.Headers.GetValues(Replayed));
        Assert.Equal(1, await _service.EffectsAsync(id, KitWebService.HandlerSequence));
    }

    [Fact]
    public async Task A_handler_with_a_transaction_of_its_own_runs_inside_the_keyed_request()
    {
        var id = Guid.NewGuid();
        var key = Guid.NewGuid().ToString();

        // Its refusal undoes its own write, with a key as without one, and releases the key.
        using var refusedWithKey = await PostAsync("/effects/in-own-transaction", new KitOrder(id, Refuse: true), key);
        using var refusedWithoutKey = await PostAsync("/effects/in-own-transaction", new KitOrder(id, Refuse: true), key: null);
        Assert.Equal(HttpStatusCode.Conflict, refusedWithKey.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refusedWithoutKey.StatusCode);
        Assert.Equal(0, await _service.EffectsAsync(id, KitWebService.HandlerSequence));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync("/effects/in-own-transaction", new KitOrder(id, HoldMs: 200), key)));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            Assert.Single(responses, r => !r.Headers.Contains(Replayed));
            Assert.Equal(1, await _service.EffectsAsync(id, KitWebService.HandlerSequence));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        // A failure after its own commit still takes its write back: the request's transaction is the one that counts.
        var failing = Guid.NewGuid();
        using var failed = await PostAsync("/effects/in-own-transaction", new KitOrder(failing, FailAfterSave: true), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(0, await _service.EffectsAsync(failing, KitWebService.HandlerSequence));
    }

    private Task<HttpResponseMessage> PostAsync(string path, KitOrder order, string? key, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(order) };
        if (key is not null)
        {
            request.Headers.Add(Idempotency.HeaderName, key);
        }
        return _service.Client.SendAsync(request, cancellationToken);
    }
}
