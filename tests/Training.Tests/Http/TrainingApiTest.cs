using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Training.Apis;

namespace Platform.Training.Tests.Http;

/// <summary>
/// Runs the training service (its real Program) on Kestrel against a fresh database on the test PostgreSQL server and
/// the test RabbitMQ node, once per test. <see cref="Staff"/> is an organization officer.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public abstract class TrainingApiTest(LocalInfrastructure infrastructure) : ServiceApiTest<Program>(infrastructure, "training")
{
    protected HttpClient Staff { get; private set; } = null!;

    /// <summary>The service's clock: real time until a test moves it forward (a session starts without waiting for it).</summary>
    protected ShiftedClock Clock { get; } = new();

    protected override TimeProvider ServiceClock => Clock;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Staff = ClientAs(PlatformRoles.OrgOfficer);
    }

    /// <summary>A client signed in as the given worker (disposed with the test).</summary>
    protected HttpClient Worker(Guid workerId) => ClientFor(TestTokens.ForWorker(workerId));

    /// <summary>A client signed in with the given role (disposed with the test).</summary>
    protected HttpClient ClientAs(string role) => ClientFor(TestTokens.For(role));

    protected HttpClient Anonymous() => ClientFor(null);

    /// <summary>A course body; sessions default to two evenings a week apart, starting in a week.</summary>
    protected static Dictionary<string, object?> CourseBody(int capacity = 10, IEnumerable<(DateTimeOffset Start, DateTimeOffset End)>? sessions = null,
        string kind = "short-video-editing", Guid? programmeId = null, int? completionPercent = null)
    {
        var firstEvening = new DateTimeOffset(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7), new TimeOnly(0, 0), TimeSpan.FromHours(8)).AddHours(19);
        sessions ??= [(firstEvening, firstEvening.AddHours(2)), (firstEvening.AddDays(7), firstEvening.AddDays(7).AddHours(2))];
        var body = new Dictionary<string, object?>
        {
            ["title"] = "短视频剪辑入门",
            ["kind"] = kind,
            ["provider"] = "training-institution",
            ["providerName"] = "廊坊职业技能培训学校",
            ["delivery"] = "online",
            ["capacity"] = capacity,
            ["sessions"] = sessions.Select(s => new { startsAt = s.Start, endsAt = s.End }).ToList(),
        };
        if (programmeId is not null) { body["programmeId"] = programmeId; }
        if (completionPercent is not null) { body["completionPercent"] = completionPercent; }
        return body;
    }

    protected async Task<CourseResponse> CreateCourseAsync(object body)
    {
        using var response = await PostAsync(Staff, "/courses", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<CourseResponse>(response);
    }

    protected static async Task<EnrolmentResponse> EnrolAsync(HttpClient worker, Guid courseId, string name = "张三丰")
    {
        using var response = await PostAsync(worker, $"/courses/{courseId}/enrolments", new { nameOnCertificate = name });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadAsync<EnrolmentResponse>(response);
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        SendRawAsync(client, HttpMethod.Post, path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    protected static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return await client.SendAsync(request);
    }

    protected static async Task<T> GetOkAsync<T>(HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync<T>(response);
    }

    protected static Task<Page<T>> PageAsync<T>(HttpClient client, string pathAndQuery) => GetOkAsync<Page<T>>(client, pathAndQuery);
}
