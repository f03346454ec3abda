using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Platform.Rights.Apis;
using Platform.Rights.Application;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Rights.Tests.Http;

/// <summary>
/// Runs the rights service (its real Program) on Kestrel against a fresh database on the test PostgreSQL server and the
/// test RabbitMQ node, once per test, with a movable clock.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class RightsApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "rights")
{
    protected ShiftedClock Clock { get; } = new();

    protected override TimeProvider ServiceClock => Clock;

    protected HttpClient Worker(Guid workerId) => ClientFor(TestTokens.ForWorker(workerId));

    protected HttpClient Professional(Guid id) => ClientFor(TestTokens.For(PlatformRoles.Professional, id));

    protected HttpClient Supervisor(Guid? id = null) => ClientFor(TestTokens.For(PlatformRoles.Supervisor, id ?? Guid.NewGuid()));

    protected HttpClient Anonymous() => ClientFor(null);

    protected static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body is string raw ? raw : JsonSerializer.Serialize(body ?? new { }, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Idempotency.HeaderName, idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    protected static async Task<T> PostOkAsync<T>(HttpClient client, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await PostAsync(client, path, body);
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected static async Task<T> GetOkAsync<T>(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected static async Task<string> GetTextAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    protected static async Task<HttpStatusCode> StatusOfGetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>Registers a professional in the register (as a supervisor) and returns their id.</summary>
    protected async Task<Guid> RegisterProfessionalAsync(string specialty, bool active = true, string name = "王律师")
    {
        var id = Guid.NewGuid();
        using var response = await Supervisor().PutAsJsonAsync(new Uri($"/professionals/{id}", UriKind.Relative), new { name, specialty, active });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>A worker's own request through the app.</summary>
    protected static Task<CaseReceipt> SubmitAsync(HttpClient worker, string description, string category = "unpaid-wages", string urgency = "normal", string? district = "广阳区") =>
        PostOkAsync<CaseReceipt>(worker, "/cases", new { category, urgency, description, district }, HttpStatusCode.Created);

    /// <summary>Takes a case from submission to in progress with the given professional.</summary>
    protected async Task StartWithAsync(Guid caseId, Guid professionalId)
    {
        var supervisor = Supervisor();
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{caseId}/triage", new { });
        await PostOkAsync<CaseSummary>(supervisor, $"/cases/{caseId}/assignment", new { professionalId });
        await PostOkAsync<CaseSummary>(Professional(professionalId), $"/cases/{caseId}/start", null);
    }

    /// <summary>Every row of every table of the service's database as text, for searching for plaintext.</summary>
    protected async Task<string> DatabaseDumpAsync()
    {
        await using var connection = new NpgsqlConnection(Service.DatabaseConnectionString);
        using var timeout = new CancellationTokenSource(ServiceFactory<Program>.RequestTimeout);
        await connection.OpenAsync(timeout.Token);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync(timeout.Token))
        {
            while (await reader.ReadAsync(timeout.Token))
            {
                tables.Add(reader.GetString(0));
            }
        }
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync(timeout.Token);
            while (await reader.ReadAsync(timeout.Token))
            {
                dump.Append(table).Append(": ").AppendLine(reader.GetString(0));
            }
        }
        return dump.ToString();
    }
}
