using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.TestSupport;

namespace Platform.Tests;

/// <summary>One answer to a community registration: its status, whether it was a problem, the new id on a 201.</summary>
public sealed record RegistrationAnswer(int Status, bool Problem, Guid? Id, TimeSpan Took)
{
    /// <summary>No HTTP answer at all: the connection failed or was reset.</summary>
    public const int NoAnswer = 0;
    /// <summary>No answer within the client's timeout.</summary>
    public const int TimedOut = -1;

    public override string ToString() => Status switch
    {
        NoAnswer => $"no answer (connection failed) after {Took.TotalSeconds:F1} s",
        TimedOut => $"no answer within the timeout ({Took.TotalSeconds:F1} s)",
        _ => $"{Status}{(Problem ? " problem" : "")} after {Took.TotalSeconds:F1} s",
    };
}

/// <summary>
/// Registers communities (each with its own Idempotency-Key) from a few writers at once at a steady pace, until
/// stopped, keeping every answer in order: for tests that break a part of the platform while registrations go on. The
/// pace makes the amount depend on how long the faults take, not on how fast the machine is.
/// </summary>
public sealed class RegistrationStream : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writers;
    private int _next;

    /// <param name="client">Sends the registrations (its base address, token and timeout).</param>
    /// <param name="path">Where communities are registered: <c>/api/organizations/communities</c> through the gateway, <c>/communities</c> at the service.</param>
    public RegistrationStream(HttpClient client, string path, string district, int writers, TimeSpan interval) =>
        _writers = Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() => WriteAsync(client, path, district, interval))));

    public ConcurrentQueue<RegistrationAnswer> Answers { get; } = new();

    public int Accepted => Answers.Count(a => a.Status == (int)HttpStatusCode.Created);

    /// <summary>Waits (bounded) until the answers so far satisfy <paramref name="condition"/>; returns the last answer then.</summary>
    public async Task<RegistrationAnswer> AnsweredAsync(Func<IReadOnlyList<RegistrationAnswer>, bool> condition, string what, CancellationToken ct)
    {
        var answers = await Eventually.Until(_ => Task.FromResult<IReadOnlyList<RegistrationAnswer>>([.. Answers]),
            a => (a.Count > 0 && condition(a)) || _writers.IsCompleted, what, TimeSpan.FromMinutes(2)).WaitAsync(ct);
        return answers[^1];
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> registrations in all have been accepted.</summary>
    public Task<RegistrationAnswer> AcceptedAsync(int count, CancellationToken ct) =>
        AnsweredAsync(a => a.Count(x => x.Status == (int)HttpStatusCode.Created) >= count, $"{count} registrations accepted", ct);

    /// <summary>Stops the writers (a request already sent runs to its answer); every answer, in order.</summary>
    public async Task<List<RegistrationAnswer>> StopAsync()
    {
        await _stop.CancelAsync();
        await _writers.WaitAsync(TimeSpan.FromSeconds(90));
        return [.. Answers];
    }

    private async Task WriteAsync(HttpClient client, string path, string district, TimeSpan interval)
    {
        using var pace = new PeriodicTimer(interval);
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var took = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Content = JsonContent.Create(new { name = $"故障测试社区{n}", district, street = "解放道街道", latitude = 39.5186, longitude = 116.6946 }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            try
            {
                // Not cancelled by the stop: a request once sent runs to its answer, so none is left in doubt.
                using var response = await client.SendAsync(request);
                var problem = response.Content.Headers.ContentType?.MediaType == ProblemAssert.ContentType;
                Guid? id = response.StatusCode == HttpStatusCode.Created
                    ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()
                    : null;
                Answers.Enqueue(new RegistrationAnswer((int)response.StatusCode, problem, id, took.Elapsed));
            }
            catch (HttpRequestException)
            {
                Answers.Enqueue(new RegistrationAnswer(RegistrationAnswer.NoAnswer, false, null, took.Elapsed));
            }
            catch (TaskCanceledException)
            {
                Answers.Enqueue(new RegistrationAnswer(RegistrationAnswer.TimedOut, false, null, took.Elapsed));
            }
            await pace.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
