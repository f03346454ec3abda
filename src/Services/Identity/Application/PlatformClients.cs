using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.Application;

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
/// <remarks>
/// Instances starting at once take turns under a transaction-scoped advisory lock, so the second finds the first's
/// client and updates it. Catching the unique violation instead was not enough (seen once in CI): the failed insert left
/// the loser's lookup answering "not found" for a client that was there.
/// </remarks>
internal sealed class PlatformClientRegistration(IServiceScopeFactory scopes) : IHostedService
{
    // Any constant works: the lock is per database, and only this registration takes it.
    private const long RegistrationLockKey = 0x636c69656e7473; // "clients"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = PlatformClients.AppDescriptor();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RegistrationLockKey})", cancellationToken);
        if (await applications.FindByClientIdAsync(PlatformClients.App, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
