using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.Server;

/// <summary>The OAuth clients the platform itself ships, and the grant type names it defines.</summary>
public static class PlatformClients
{
    /// <summary>The public client of the worker and staff apps (no secret: an app on a phone cannot keep one).</summary>
    public const string App = "platform-app";

    /// <summary>The worker's sign-in grant: <c>phone</c> and <c>code</c> (from <c>POST /phone-codes</c>).</summary>
    public const string PhoneCodeGrantType = "urn:platform:grant-type:phone-code";

    public static OpenIddictApplicationDescriptor AppDescriptor()
    {
        var app = new OpenIddictApplicationDescriptor
        {
            ClientId = App,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            DisplayName = "Platform apps (workers and staff)",
        };
        app.Permissions.UnionWith(
        [
            Permissions.Endpoints.Token,
            Permissions.GrantTypes.Password,
            Permissions.GrantTypes.RefreshToken,
            Permissions.Prefixes.GrantType + PhoneCodeGrantType,
            Permissions.Prefixes.Scope + PlatformScopes.OfflineAccess,
        ]);
        return app;
    }
}

/// <summary>Registers (or brings up to date) the platform's own clients at start, before Kestrel listens.</summary>
internal sealed class PlatformClientRegistration(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = PlatformClients.AppDescriptor();
        var existing = await applications.FindByClientIdAsync(PlatformClients.App, cancellationToken);
        if (existing is null)
        {
            try
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another instance starting at the same moment registered it: bring that one up to date instead.
                existing = await applications.FindByClientIdAsync(PlatformClients.App, cancellationToken)
                    ?? throw new InvalidOperationException($"Client {PlatformClients.App} was registered concurrently but cannot be found.", ex);
            }
        }
        await applications.UpdateAsync(existing, descriptor, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
