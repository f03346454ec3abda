using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Platform.Identity.Application;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.Apis;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has checked the request (client, grant type permission, scopes,
/// refresh token): decides who the caller is and which claims the access token carries.
/// </summary>
public static class TokenApi
{
    public const string PhoneParameter = "phone";
    public const string CodeParameter = "code";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenServer.TokenPath, Exchange)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> Exchange(HttpContext http, IdentityDb db, PersonalDataProtector protector,
        IPasswordHasher<StaffUser> hasher, IOpenIddictApplicationManager applications, TimeProvider clock)
    {
        var request = http.GetOpenIddictServerRequest()
                      ?? throw new InvalidOperationException("The OpenIddict request is missing: is the endpoint passthrough enabled?");
        var ct = http.RequestAborted;
        var now = clock.GetUtcNow();

        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has authenticated the client and checked its scope permissions.
            var client = await applications.FindByClientIdAsync(request.ClientId!, ct);
            if (client is null)
            {
                return Refuse(Errors.InvalidClient, "The client is not registered.");
            }
            var identity = NewIdentity(request.ClientId!, PlatformRoles.PartnerAgency);
            identity.SetClaim(PlatformClaims.Name, await applications.GetDisplayNameAsync(client, ct));
            return SignIn(identity, request.GetScopes());
        }

        if (request.IsPasswordGrantType())
        {
            var userName = request.Username?.Trim().ToLowerInvariant() ?? "";
            var user = await db.StaffUsers.FirstOrDefaultAsync(u => u.UserName == userName, ct);
            if (user is null)
            {
                // Same work and same answer as a wrong password: the answer does not tell which user names exist.
                hasher.VerifyHashedPassword(DummyUser, DummyHash, request.Password ?? "");
                return Refuse(Errors.InvalidGrant, "The user name or password is wrong.");
            }
            if (user.IsLockedOut(now))
            {
                return Refuse(Errors.InvalidGrant, "Too many wrong passwords: the account is locked for a while.");
            }
            var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password ?? "");
            user.RecordSignIn(verdict != PasswordVerificationResult.Failed, now);
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.Rehash(hasher.HashPassword(user, request.Password!));
            }
            await db.SaveChangesAsync(ct);
            return verdict == PasswordVerificationResult.Failed
                ? Refuse(Errors.InvalidGrant, "The user name or password is wrong.")
                : SignIn(StaffIdentity(user), request.GetScopes());
        }

        if (request.GrantType == PlatformClients.PhoneCodeGrantType)
        {
            return await SignInWorkerAsync(request, db, protector, now, ct);
        }

        if (request.IsRefreshTokenGrantType())
        {
            // The refresh token was valid and not yet used; the claims are read again so that a changed role or a
            // removed user takes effect at the next refresh.
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var role = result.Principal?.GetClaim(PlatformClaims.Role);
            if (!Guid.TryParse(subject, out var id))
            {
                return Refuse(Errors.InvalidGrant, "The refresh token is no longer valid.");
            }
            ClaimsIdentity? identity = null;
            if (role == PlatformRoles.Worker)
            {
                identity = await db.Workers.AnyAsync(w => w.Id == id, ct) ? NewIdentity(id.ToString(), PlatformRoles.Worker) : null;
            }
            else if (await db.StaffUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } staff)
            {
                identity = StaffIdentity(staff);
            }
            return identity is null
                ? Refuse(Errors.InvalidGrant, "The user no longer exists.")
                : SignIn(identity, result.Principal!.GetScopes());
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> SignInWorkerAsync(OpenIddictRequest request, IdentityDb db, PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var phone = PhoneNumber.Normalize((string?)request[PhoneParameter]);
        var typed = ((string?)request[CodeParameter])?.Trim();
        if (phone is null || string.IsNullOrEmpty(typed))
        {
            return Refuse(Errors.InvalidRequest, $"The '{PhoneParameter}' (a mobile number) and '{CodeParameter}' parameters are required.");
        }
        var phoneIndex = protector.BlindIndex(phone);
        // Only the latest code of a number counts: asking for a new one retires the earlier ones.
        var code = await db.PhoneCodes.Where(c => c.PhoneIndex == phoneIndex).OrderByDescending(c => c.IssuedAt).FirstOrDefaultAsync(ct);
        if (code is null)
        {
            return Refuse(Errors.InvalidGrant, "No code was sent to this number; ask for one first.");
        }
        var check = code.Check(typed, now, protector.BlindIndex);
        Worker? worker = null;
        if (check == CodeCheck.Accepted)
        {
            worker = await db.Workers.FirstOrDefaultAsync(w => w.PhoneIndex == phoneIndex, ct);
            if (worker is null)
            {
                worker = Worker.Register(phoneIndex, protector.Protect(phone), now);
                db.Workers.Add(worker);
            }
            else
            {
                worker.SignedIn(now);
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another attempt on the same code was checked at the same moment: this one does not count as a pass.
            return Refuse(Errors.InvalidGrant, "The code was checked by another request at the same time; try again.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return Refuse(Errors.InvalidGrant, "The worker was registered by another request at the same time; ask for a new code.");
        }
        return check switch
        {
            CodeCheck.Accepted => SignIn(NewIdentity(worker!.Id.ToString(), PlatformRoles.Worker), request.GetScopes()),
            CodeCheck.Wrong => Refuse(Errors.InvalidGrant, $"The code is wrong ({PhoneCode.MaxWrongAttempts - code.WrongAttempts} attempts left)."),
            CodeCheck.Expired => Refuse(Errors.InvalidGrant, "The code has expired; ask for a new one."),
            CodeCheck.AlreadyUsed => Refuse(Errors.InvalidGrant, "The code has already been used; ask for a new one."),
            _ => Refuse(Errors.InvalidGrant, "Too many wrong attempts: the code no longer works; ask for a new one."),
        };
    }

    private static ClaimsIdentity StaffIdentity(StaffUser user)
    {
        var identity = NewIdentity(user.Id.ToString(), user.Role);
        identity.SetClaim(PlatformClaims.Name, user.UserName);
        identity.SetClaims(PlatformClaims.Community, [.. user.Communities.Select(id => id.ToString())]);
        identity.SetClaims(PlatformClaims.Station, [.. user.Stations.Select(id => id.ToString())]);
        if (user.District is not null)
        {
            identity.SetClaim(PlatformClaims.District, user.District);
        }
        return identity;
    }

    private static ClaimsIdentity NewIdentity(string subject, string role)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, PlatformClaims.Name, PlatformClaims.Role);
        identity.SetClaim(Claims.Subject, subject);
        identity.SetClaim(PlatformClaims.Role, role);
        return identity;
    }

    private static SignInHttpResult SignIn(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetAudiences(PlatformAuthentication.DefaultAudience);
        // Every claim is for the services that receive the access token (there are no identity tokens here).
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>An OAuth error answer (400 with <c>error</c> and <c>error_description</c>), written by OpenIddict.</summary>
    private static ForbidHttpResult Refuse(string error, string description) =>
        TypedResults.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    // A hash to verify against when the user does not exist, so both paths cost one PBKDF2.
    private static readonly StaffUser DummyUser = StaffUser.Create("nobody", "not-a-real-password", PlatformRoles.Operator, null, null, null, DateTimeOffset.UnixEpoch,
        (_, _) => "").Value!;
    private static readonly string DummyHash = new PasswordHasher<StaffUser>().HashPassword(DummyUser, "not-a-real-password");
}
