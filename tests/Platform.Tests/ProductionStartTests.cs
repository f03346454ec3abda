using System.Net;
using Platform.TestSupport;
using Xunit.Abstractions;

namespace Platform.Tests;

/// <summary>
/// Every service and the gateway start in the Production environment from their built assemblies, each its own
/// process, with only what a deployment gives them (connection strings, the shared keys, the SMS gateway, the issuer
/// and the addresses of the others): nothing refuses to run outside Development, and each reports healthy (its
/// database and broker reached).
/// </summary>
public sealed class ProductionStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly (string Service, string Folder, string Assembly)[] Services =
    [
        ("identity", "src/Services/Identity", "Platform.Identity.dll"),
        ("organizations", "src/Services/Organizations", "Organizations.dll"),
        ("volunteers", "src/Services/Volunteers", "Volunteers.dll"),
        ("stations", "src/Services/Stations", "Stations.dll"),
        ("training", "src/Services/Training", "Training.dll"),
        ("rights", "src/Services/Rights", "Rights.dll"),
        ("partners", "src/Services/Partners", "Partners.dll"),
    ];

    private readonly LocalInfrastructure _infrastructure = new();

    public Task InitializeAsync() => _infrastructure.InitializeAsync();

    public Task DisposeAsync() => _infrastructure.DisposeAsync();

    [Fact]
    public async Task Every_service_and_the_gateway_start_in_Production_and_report_healthy()
    {
        var ports = Services.ToDictionary(s => s.Service, _ => ReservedPorts.Next());
        var personalDataKey = Platform.ServiceDefaults.Security.PersonalDataProtector.NewKey();
        var addresses = ports.ToDictionary(p => p.Key, p => $"http://127.0.0.1:{p.Value}");
        var started = new List<ServiceProcess>();
        try
        {
            foreach (var (service, folder, assembly) in Services)
            {
                var settings = ServiceProcess.Settings(_infrastructure, service, $"{service}_{Guid.NewGuid():N}");
                settings["Platform__PersonalData__Key"] = personalDataKey;
                // Services find identity's signing keys, and identity its own, at identity's address.
                settings["Platform__Auth__KeysAddress"] = $"{addresses["identity"]}/.well-known/jwks";
                settings["services__identity__http__0"] = addresses["identity"];
                if (service == "identity")
                {
                    settings["Identity__Sms__Url"] = "https://sms.city.example/v1/messages";
                    settings["Identity__Sms__ApiKey"] = "not-called-by-this-test";
                }
                started.Add(ServiceProcess.Start(service, ServiceProcess.Built(folder, assembly), ports[service], settings));
            }
            var gatewaySettings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Platform__Auth__Issuer"] = TestTokens.Issuer,
                ["Platform__Auth__KeysAddress"] = $"{addresses["identity"]}/.well-known/jwks",
            };
            foreach (var (service, address) in addresses)
            {
                gatewaySettings[$"services__{service}__http__0"] = address;
            }
            var gateway = ServiceProcess.Start("gateway", ServiceProcess.Built("src/Gateway", "Gateway.dll"), ReservedPorts.Next(), gatewaySettings);
            started.Add(gateway);

            await Task.WhenAll(started.Select(s => s.WaitUntilAsync("/health")));

            // Through the gateway, as an app calls it: a public read reaches a service in Production.
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using var read = await client.GetAsync(new Uri("/api/stations/stations/nearby?latitude=39.5186&longitude=116.6946", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            output.WriteLine($"healthy in Production: {string.Join(", ", started.Select(s => s.Name))}");
        }
        finally
        {
            foreach (var process in started)
            {
                process.Dispose();
            }
        }
    }
}
