using System.Net;
using Platform.Identity.Tests.Http;
using Platform.ServiceDefaults.Security;
using Platform.TestSupport;

namespace Platform.Identity.Tests.ScaleOut;

/// <summary>
/// Two identity instances started at the same moment on a database that does not exist yet (a first deployment with
/// two replicas): both start, one creates the signing keys, the platform's clients and the bootstrap operator, and the
/// other uses them, so the operator signs in through either with the one password written down.
/// </summary>
public sealed class SimultaneousStartTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_start_and_share_one_operator()
    {
        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings:identity-db"] = Infrastructure.PostgresConnectionString($"identity_{Guid.NewGuid():N}"),
            [PersonalDataProtector.KeySetting] = PersonalDataProtector.NewKey(),
        };
        await using var first = StartService(new Dictionary<string, string>(shared));
        await using var second = StartService(new Dictionary<string, string>(shared));

        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        foreach (var instance in new[] { first, second })
        {
            using var client = instance.CreateHttpClient();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = Platform.Identity.Application.PlatformClients.App,
                ["username"] = "operator", ["password"] = OperatorPassword,
            });
            using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        await using var connection = new Npgsql.NpgsqlConnection(shared["ConnectionStrings:identity-db"]);
        await connection.OpenAsync();
        await using var operators = new Npgsql.NpgsqlCommand("SELECT count(*) FROM staff_users WHERE \"UserName\" = 'operator'", connection);
        Assert.Equal(1L, (long)(await operators.ExecuteScalarAsync())!);
    }
}
