using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests.Fuzz;

/// <summary>
/// Every operation of the gateway's merged API document, read from the running platform, gets malformed requests:
/// bad route and query values, unreadable and wrongly shaped bodies, missing, extra, mistyped and out-of-range fields,
/// control characters, without a token and signed in as a role the operation allows (so its input is read, not refused
/// with a 403 at the door). Each answer must be a problem-details 4xx (or a 2xx where the input
/// was valid after all): never a 5xx, a reset or a timeout. A new endpoint is covered without anyone remembering to.
/// </summary>
[Collection(StressPlatformCollection.Name)]
public sealed class FuzzTests(StressPlatformFixture platform, ITestOutputHelper output)
{
    private const int Parallel = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task No_malformed_request_to_any_operation_costs_a_server_error()
    {
        // A service still cold can miss the first merge's fetch; the gateway merges again within 15 s (as /docs does).
        var document = await Eventually.Until(
            async ct => JsonNode.Parse(await platform.Gateway.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct))!.AsObject(),
            d => (d["info"]?["x-unavailable-services"] as JsonArray ?? []).Count == 0, "every service in the merged API document", TimeSpan.FromMinutes(2));
        var operations = ApiOperation.AllIn(document);
        var values = new SchemaValues(document);
        var cases = operations.SelectMany(o => FuzzCases.For(o, values)).ToList();
        var callers = await Callers.SignInAsync(platform);

        var classes = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var covered = new ConcurrentDictionary<string, bool>();
        var accepted = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = Parallel };
        using var client = new HttpClient(handler) { BaseAddress = platform.Gateway.BaseAddress, Timeout = RequestTimeout };
        await System.Threading.Tasks.Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (fuzz, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(fuzz.Operation.Method.ToUpperInvariant()), fuzz.PathAndQuery);
            if (fuzz.WithToken)
            {
                var token = callers.TokenFor(fuzz.Operation);
                request.Headers.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Parameter);
            }
            if (fuzz.Body is not null)
            {
                request.Content = new ByteArrayContent(fuzz.Body);
                if (fuzz.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
                }
            }
            string answer;
            try
            {
                using var response = await client.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                // Kestrel refuses a request target with a NUL itself, before any middleware: a plain 400 (docs/security.md).
                var refusedByKestrel = status == 400 && !problem && NulInPath(fuzz.PathAndQuery);
                answer = status switch
                {
                    >= 500 => $"{status}",
                    >= 400 when problem => $"{status} problem",
                    _ when refusedByKestrel => "400 from Kestrel (NUL in the path)",
                    >= 400 => $"{status} without a problem",
                    _ => "2xx/3xx",
                };
                // A 429 means the case never reached the service: the run's limits are raised (PlatformFixture).
                var wrong = status >= 500 || status == 429
                            || (status >= 400 && !problem && !refusedByKestrel)
                            || (fuzz.Expect == Expectation.Refused && status < 400)
                            || (fuzz.Expect == Expectation.Unauthorized && status != 401);
                if (status < 300 && fuzz.Operation.Method != "get")
                {
                    accepted.Enqueue($"{fuzz} {status}");
                }
                if (wrong)
                {
                    var body = await response.Content.ReadAsStringAsync(ct);
                    failures.Enqueue($"{fuzz} expected {fuzz.Expect}, got {status}: {body[..Math.Min(body.Length, 300)]}");
                }
            }
            catch (HttpRequestException e)
            {
                answer = "reset";
                failures.Enqueue($"{fuzz}: {e.Message}");
            }
            catch (TaskCanceledException)
            {
                answer = "timeout";
                failures.Enqueue($"{fuzz}: no answer within {RequestTimeout.TotalSeconds} s");
            }
            classes.AddOrUpdate(answer, 1, (_, n) => n + 1);
            covered[fuzz.Operation.ToString()] = true;
        });

        output.WriteLine($"{cases.Count} requests to {operations.Count} operations in {clock.Elapsed.TotalSeconds:F0} s: " +
                         string.Join(", ", classes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")));
        output.WriteLine("operations: " + string.Join("; ", operations.Select(o => o.ToString())));
        output.WriteLine("called as: " + string.Join(", ", operations.GroupBy(callers.RoleFor).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()} operations")));
        output.WriteLine($"writes accepted ({accepted.Count}): " + string.Join("; ", accepted.Order(StringComparer.Ordinal)));
        Assert.DoesNotContain(operations, o => !covered.ContainsKey(o.ToString()));
        Assert.True(failures.IsEmpty, $"{failures.Count} wrong answers:\n" + string.Join("\n", failures.Take(80)));
    }

    private static bool NulInPath(string pathAndQuery) => pathAndQuery.Split('?', 2)[0].Contains("%00", StringComparison.Ordinal);
}
