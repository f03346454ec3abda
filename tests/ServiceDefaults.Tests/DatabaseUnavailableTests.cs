using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// A request that meets its database away is a 503 problem with Retry-After (the caller may try again), not a 500;
/// a fault of the code stays a 500.
/// </summary>
public sealed class DatabaseUnavailableTests : IAsyncLifetime
{
    private DefaultsApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await DefaultsApp.StartAsync(app =>
        {
            // A server that refuses connections: a reserved port nothing listens on.
            var refused = $"Host=127.0.0.1;Port={ReservedPorts.Next()};Username=postgres;Password=x;Timeout=3";
            app.MapGet("/unreachable", async () =>
            {
                await using var connection = new NpgsqlConnection(refused);
                await connection.OpenAsync();
                return TypedResults.Ok();
            }).AllowAnonymous();
            // What a connection meets when its server shuts down or a standby is promoted under it.
            app.MapPost("/shut-down", IResult () => throw new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL",
                PostgresErrorCodes.AdminShutdown)).AllowAnonymous();
            app.MapPost("/read-only", IResult () => throw new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving the entity changes.",
                new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", PostgresErrorCodes.ReadOnlySqlTransaction))).AllowAnonymous();
            app.MapPost("/bug", IResult () => throw new InvalidOperationException("a fault of the code")).AllowAnonymous();
            app.MapPost("/constraint", IResult () => throw new PostgresException("null value in column", "ERROR", "ERROR", PostgresErrorCodes.NotNullViolation))
                .AllowAnonymous();
        });
        _client = _app.Client;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_read_that_cannot_reach_the_database_is_a_503_problem_to_retry()
    {
        using var response = await _client.GetAsync(new Uri("/unreachable", UriKind.Relative));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Try again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/shut-down")]
    [InlineData("/read-only")]
    public async Task A_write_interrupted_by_the_database_going_away_is_a_503_saying_to_retry_with_the_same_key(string path)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), null);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/bug")]
    [InlineData("/constraint")]
    public async Task A_fault_of_the_code_stays_a_500(string path)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }
}
