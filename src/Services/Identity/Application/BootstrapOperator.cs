using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.Identity.Application;

/// <summary>
/// The first operator of a fresh platform: when no operator exists, creates user <c>operator</c> with the password in
/// <c>Identity:Bootstrap:Password</c> (a deployment's secret), else a random one, written once to the log and to
/// <c>Identity:Bootstrap:PasswordFile</c> (mode 600) when configured. Never again once an operator exists.
/// </summary>
internal sealed partial class BootstrapOperator(
    IServiceScopeFactory scopes, IPasswordHasher<StaffUser> hasher, TimeProvider clock, IConfiguration configuration, ILogger<BootstrapOperator> logger)
    : IHostedService
{
    public const string UserName = "operator";
    public const string PasswordFileSetting = "Identity:Bootstrap:PasswordFile";
    public const string PasswordSetting = "Identity:Bootstrap:Password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        if (await db.StaffUsers.AnyAsync(u => u.Role == PlatformRoles.Operator, cancellationToken))
        {
            return;
        }
        // A deployment gives the password as a secret; a local run makes one up and shows it once.
        var configured = configuration[PasswordSetting];
        var password = string.IsNullOrEmpty(configured)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_')
            : configured;
        var created = StaffUser.Create(UserName, password, PlatformRoles.Operator, null, null, null, clock.GetUtcNow(), hasher.HashPassword);
        db.StaffUsers.Add(created.Value!);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another replica bootstrapped at the same moment (or "operator" names another user): nothing to do.
            return;
        }
        if (!string.IsNullOrEmpty(configured))
        {
            LogCreatedWithConfigured(logger, UserName, PasswordSetting);
            return;
        }
        var file = configuration[PasswordFileSetting];
        if (!string.IsNullOrWhiteSpace(file))
        {
            await File.WriteAllTextAsync(file, password + "\n", cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        LogCreated(logger, UserName, password, string.IsNullOrWhiteSpace(file) ? "(no file configured)" : file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap operator '{UserName}' created with the password in {Setting}")]
    private static partial void LogCreatedWithConfigured(ILogger logger, string userName, string setting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap operator '{UserName}' created with password {Password} (also in {File}). It is shown once: keep it safe.")]
    private static partial void LogCreated(ILogger logger, string userName, string password, string file);
}
