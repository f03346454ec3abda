using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Http;

/// <summary>A write already answered for an <c>Idempotency-Key</c>: replayed when a phone retries the same POST.</summary>
public sealed class IdempotentRequest
{
    public string Key { get; init; } = "";
    /// <summary>
    /// Method, path and caller the key was used by; the same key on another endpoint, or from another caller, is a
    /// different request (one caller never receives the answer given to another).
    /// </summary>
    public string Scope { get; init; } = "";
    public int StatusCode { get; init; }
    public string? Location { get; init; }
    /// <summary>The answer's JSON; encrypted where the service protects personal data, since answers may carry it.</summary>
    public string? Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 100;

    public static ModelBuilder AddIdempotencyTable(this ModelBuilder model)
    {
        model.Entity<IdempotentRequest>(e =>
        {
            e.ToTable("idempotent_requests");
            e.HasKey(x => new { x.Key, x.Scope });
            e.Property(x => x.Key).HasMaxLength(MaxKeyLength);
            e.Property(x => x.Scope).HasMaxLength(300);
        });
        return model;
    }

    /// <summary>
    /// Lets a write accept an <c>Idempotency-Key</c> header: the first successful answer is stored and returned
    /// again, unchanged, for every retry with the same key, so nothing is created twice.
    /// </summary>
    /// <remarks>
    /// The handler runs in a transaction that first claims the key (inserts its row) and, on a 2xx answer, stores the
    /// answer in that row before committing: the write and its stored answer become durable together or not at all.
    /// A retry that arrives while the first request still runs waits on the claimed row, then replays the committed
    /// answer; if the first failed (exception, cancelled request, crash), nothing of it remains and the retry runs.
    /// Handlers that open a transaction of their own use <see cref="Data.Transactions.BeginOrJoinTransactionAsync"/>.
    /// A refused request (any non-2xx answer) releases the key so that a corrected retry can run, and keeps what the
    /// handler itself committed, exactly as the same request without a key would.
    /// </remarks>
    public static TBuilder AcceptsIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = http.Request.Headers[HeaderName].ToString();
            if (string.IsNullOrEmpty(key))
            {
                return await next(context);
            }
            if (key.Length > MaxKeyLength)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [HeaderName] = [$"{HeaderName} must be at most {MaxKeyLength} characters."],
                });
            }
            if (Validation.TextRules.Refusal(key) is { } refusal)
            {
                // The key is stored: it obeys the same text rules as every other stored text.
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [HeaderName] = [$"{HeaderName} {refusal}"] });
            }

            var db = http.RequestServices.GetRequiredService<IdempotencyStore>().Db;
            var scope = ScopeOf(http);
            var protector = http.RequestServices.GetService<PersonalDataProtector>();
            var ct = http.RequestAborted;
            // A retry after a stored answer is the common case: answered without a transaction.
            if (await AnswerAsync(db, key, scope, ct) is { } stored)
            {
                return Replay(http, stored, protector);
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await ClaimAsync(db, key, scope, ct))
            {
                // Another request with this key committed while this one waited on its claim: same answer.
                await tx.RollbackAsync(CancellationToken.None);
                var earlier = await AnswerAsync(db, key, scope, ct)
                              ?? throw new InvalidOperationException($"The answer for {HeaderName} {key} vanished after its claim.");
                return Replay(http, earlier, protector);
            }

            var result = await next(context);
            // Endpoints return Results<...> unions: the answer that counts is the one inside.
            var answer = result is INestedHttpResult nested ? nested.Result : result;
            if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } ok)
            {
                var value = (answer as IValueHttpResult)?.Value;
                var status = ok.StatusCode ?? 200;
                var location = LocationOf(answer);
                var body = value is null ? null : Seal(JsonSerializer.Serialize(value, value.GetType(), JsonOptions(http)), protector);
                // Not cancellable from here on: the work is done, only its commit remains.
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE idempotent_requests SET \"StatusCode\" = {status}, \"Location\" = {location}, \"Body\" = {body} WHERE \"Key\" = {key} AND \"Scope\" = {scope}",
                    CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
                return result;
            }

            try
            {
                await db.Database.ExecuteSqlAsync(
                    $"DELETE FROM idempotent_requests WHERE \"Key\" = {key} AND \"Scope\" = {scope}", CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InFailedSqlTransaction)
            {
                // The handler left the transaction failed (a statement error it answered itself): nothing can be kept.
                await tx.RollbackAsync(CancellationToken.None);
            }
            return result;
        });
        return builder;
    }

    /// <summary>
    /// Inserts the key's row, unanswered. A concurrent request holding the same key makes this wait until that one
    /// commits (false: its answer is stored) or rolls back (true: the key is this request's now).
    /// </summary>
    private static async Task<bool> ClaimAsync(DbContext db, string key, string scope, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO idempotent_requests (\"Key\", \"Scope\", \"StatusCode\", \"CreatedAt\") VALUES ({key}, {scope}, 0, {DateTimeOffset.UtcNow}) ON CONFLICT DO NOTHING",
            ct) == 1;

    private static Task<IdempotentRequest?> AnswerAsync(DbContext db, string key, string scope, CancellationToken ct) =>
        db.Set<IdempotentRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Key == key && r.Scope == scope, ct);

    private static ReplayedResult Replay(HttpContext http, IdempotentRequest earlier, PersonalDataProtector? protector)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return new ReplayedResult(earlier, protector);
    }

    private static string ScopeOf(HttpContext http)
    {
        var user = http.User;
        var caller = user.FindFirstValue(PlatformClaims.Subject) ?? user.FindFirstValue("client_id") ?? "anonymous";
        return $"{http.Request.Method} {http.Request.Path} {caller}";
    }

    private static string Seal(string body, PersonalDataProtector? protector) => protector is null ? body : protector.Protect(body);

    // Created<T> and Accepted<T> expose Location; they share no interface for it.
    private static string? LocationOf(object result) =>
        result.GetType().GetProperty("Location")?.GetValue(result) as string;

    private static JsonSerializerOptions JsonOptions(HttpContext http) =>
        http.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
        ?? PlatformJson.Options;

    private sealed class ReplayedResult(IdempotentRequest earlier, PersonalDataProtector? protector) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = earlier.StatusCode;
            if (earlier.Location is not null)
            {
                httpContext.Response.Headers.Location = earlier.Location;
            }
            if (earlier.Body is not null)
            {
                httpContext.Response.ContentType = "application/json; charset=utf-8";
                var body = protector is null ? earlier.Body : protector.Unprotect(earlier.Body);
                await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

/// <summary>Gives the idempotency filter the owning service's database.</summary>
public sealed class IdempotencyStore(DbContext db)
{
    public DbContext Db => db;
}
