using System.Net;
using Platform.Identity.Application;
using Platform.TestSupport;

namespace Platform.Identity.Tests.Http;

/// <summary>A deployment gives the bootstrap operator's password as a secret: the operator signs in with it, and it is written nowhere.</summary>
public sealed class ConfiguredOperatorPasswordTests(LocalInfrastructure infrastructure) : IdentityApiTest(infrastructure)
{
    private const string Password = "Deployment-secret-operator-1";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        [BootstrapOperator.PasswordSetting] = Password,
    };

    [Fact]
    public async Task The_operator_signs_in_with_the_password_the_deployment_gave_and_it_is_not_written_down()
    {
        var answer = await PasswordGrantAsync(BootstrapOperator.UserName, Password);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(File.Exists(PasswordFile), "The configured password was written to the password file.");
    }
}
