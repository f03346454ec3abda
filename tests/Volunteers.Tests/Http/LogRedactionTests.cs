using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Contracts;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;
using Platform.Volunteers.Apis;

namespace Platform.Volunteers.Tests.Http;

/// <summary>
/// A worker registers with name, phone and ID number, reports in to a community (its staff see and confirm it) and
/// reports a hazard, while every log line of the service is captured at every level: none holds who the worker is.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class LogRedactionTests(LocalInfrastructure infrastructure) : IAsyncLifetime
{
    private const string Name = "欧阳娜娜";
    private const string IdNumber = "11010519491231002X";
    private readonly string _phone = "138" + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly CapturedLogs _logs = new();
    private ServiceFactory<Program>? _service;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(infrastructure, "volunteers", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:LogLevel:MassTransit"] = "Trace",
        }, configureServices: services => services.AddSingleton<ILoggerProvider>(_logs));
        await _service.StartWithBusAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registering_reporting_in_and_reporting_a_hazard_log_no_name_phone_or_ID_number()
    {
        var service = _service!;
        var enterpriseId = Guid.NewGuid();
        var communityId = Guid.NewGuid();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var bus = service.Services.GetRequiredService<IBus>();
            await bus.Publish(new EnterpriseRegistered(enterpriseId, "美团廊坊站", "91131000MA0A1B2C3D", "food-delivery", "广阳区", DateTimeOffset.UtcNow), timeout.Token);
            await bus.Publish(new CommunityRegistered(communityId, "银河北路社区", "广阳区", "银河北路街道", 39.5186, 116.6946, DateTimeOffset.UtcNow), timeout.Token);
        }
        await Eventually.Until(_ => service.ScalarAsync<long>("SELECT count(*) FROM enterprises WHERE \"Id\" = @id", ("id", enterpriseId)), n => n == 1, "the enterprise copied");
        await Eventually.Until(_ => service.ScalarAsync<long>("SELECT count(*) FROM communities WHERE \"Id\" = @id", ("id", communityId)), n => n == 1, "the community copied");
        var workerId = Guid.NewGuid();
        using var worker = service.CreateHttpClient(TestTokens.ForWorker(workerId));
        using var staff = service.CreateHttpClient(TestTokens.For(PlatformRoles.CommunityStaff, null, (PlatformClaims.Community, communityId.ToString())));

        using (var registered = await worker.PostAsJsonAsync("/workers/me", new
        {
            name = Name, phone = $"+86 {_phone[..3]} {_phone[3..7]} {_phone[7..]}", idNumber = IdNumber, occupation = "food-delivery-rider",
            enterpriseId, partyMember = false,
        }))
        {
            Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        }
        // A second registration is refused (a conflict is a path where values are easily logged).
        using (var again = await worker.PostAsJsonAsync("/workers/me", new { name = Name, phone = _phone, occupation = "food-delivery-rider", enterpriseId, partyMember = false }))
        {
            Assert.True(again.StatusCode >= HttpStatusCode.BadRequest);
        }
        Guid reportInId;
        using (var requested = await worker.PostAsJsonAsync("/workers/me/report-ins", new { communityId }))
        {
            Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
            reportInId = (await requested.Content.ReadFromJsonAsync<ReportInView>(Microsoft.Extensions.Hosting.PlatformJson.Options))!.Id;
        }
        using (var listed = await staff.GetAsync(new Uri($"/report-ins?communityId={communityId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
        using (var confirmed = await staff.PostAsync(new Uri($"/report-ins/{reportInId}/confirm", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        using (var hazard = await worker.PostAsJsonAsync("/hazard-reports", new { category = "broken-manhole-cover", latitude = 39.5187, longitude = 116.6946, description = "井盖缺失" }))
        {
            Assert.Equal(HttpStatusCode.Created, hazard.StatusCode);
        }
        await Eventually.Until(_ => service.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"), n => n == 0, "the events published");

        Assert.NotEmpty(_logs.Containing("Microsoft.EntityFrameworkCore"));
        Assert.NotEmpty(_logs.Containing("Microsoft.AspNetCore"));
        foreach (var written in new[] { Name, _phone, _phone[3..], $"{_phone[3..7]} {_phone[7..]}", IdNumber, IdNumber[..17] })
        {
            var found = _logs.Containing(written);
            Assert.True(found.Count == 0, $"\"{written}\" is in the log:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
        }
    }
}
