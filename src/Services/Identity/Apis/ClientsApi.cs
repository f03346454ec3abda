using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Platform.Identity.Application;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.ServiceDefaults.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Platform.Identity.Apis;

/// <param name="ClientId">The agency system's client id: lower-case letters, digits, '.', '-' or '_'.</param>
/// <param name="Scopes">What the agency may do: events, hazards, statistics.</param>
public sealed record CreatePartnerClientRequest(string? ClientId, string? DisplayName, IReadOnlyList<string>? Scopes);

public sealed record PartnerClientResponse(string ClientId, string DisplayName, IReadOnlyList<string> Scopes);

/// <param name="ClientSecret">Shown this once; only a hash is kept. A lost secret means a new client.</param>
public sealed record PartnerClientCreated(string ClientId, string DisplayName, IReadOnlyList<string> Scopes, string ClientSecret);

public static class ClientsApi
{
    public const int ClientIdMaxLength = 64;
    public const int DisplayNameMaxLength = 100;

    public static RouteGroupBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/clients").WithTags("Partner clients")
            .RequireRoles(PlatformRoles.Operator);
        // No Idempotency-Key here: the replayed answer would have to keep the secret. A retry gets 409 instead.
        group.MapPost("/", Create)
            .WithName("CreatePartnerClient")
            .WithSummary("Register a partner agency's system")
            .WithDescription("Creates a confidential client for the client-credentials grant with the given scopes; its tokens carry the " +
                             "partner-agency role. The generated secret is in this answer only. Operators only.");
        group.MapGet("/", List)
            .WithName("ListPartnerClients")
            .WithSummary("List partner clients")
            .WithDescription("Pages through partner clients by client id. Secrets are never shown.");
        return group;
    }

    internal static async Task<Results<Created<PartnerClientCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreatePartnerClientRequest request, IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var clientId = errors.Text("clientId", request.ClientId, ClientIdMaxLength);
        if (clientId.Length > 0 && (clientId.Length < 3 || !clientId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_')))
        {
            errors.Add("clientId", "clientId must be 3 or more lower-case letters, digits, '.', '-' or '_'.");
        }
        if (clientId == PlatformClients.App)
        {
            errors.Add("clientId", $"'{PlatformClients.App}' is the platform's own client.");
        }
        var displayName = errors.Text("displayName", request.DisplayName, DisplayNameMaxLength);
        var scopes = request.Scopes?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (scopes.Count == 0)
        {
            errors.Add("scopes", $"scopes must name at least one of: {string.Join(", ", PlatformScopes.ClientScopes)}.");
        }
        else if (scopes.Any(s => !PlatformScopes.ClientScopes.Contains(s)))
        {
            errors.Add("scopes", $"scopes may only be: {string.Join(", ", PlatformScopes.ClientScopes)}.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await applications.FindByClientIdAsync(clientId, ct) is not null)
        {
            return Conflict(clientId);
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        descriptor.Permissions.UnionWith(scopes.Select(s => Permissions.Prefixes.Scope + s));
        try
        {
            await applications.CreateAsync(descriptor, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or OpenIddictExceptions.ValidationException)
        {
            // Registered by a concurrent request between the check above and this insert.
            return Conflict(clientId);
        }
        return TypedResults.Created($"/clients/{clientId}", new PartnerClientCreated(clientId, displayName, scopes, secret));
    }

    internal static async Task<Results<Ok<Page<PartnerClientResponse>>, ValidationProblem>> List(
        IdentityDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var query = db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking().Where(a => a.ClientType == ClientTypes.Confidential);
        var page = await query.OrderBy(a => a.ClientId).Select(a => new { a.ClientId, a.DisplayName, a.Permissions }).ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(a => new PartnerClientResponse(a.ClientId!, a.DisplayName ?? "", ScopesOf(a.Permissions))));
    }

    private static List<string> ScopesOf(string? permissions) =>
        [.. (permissions is null ? [] : JsonSerializer.Deserialize<string[]>(permissions) ?? [])
            .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..])
            .Order(StringComparer.Ordinal)];

    private static ProblemHttpResult Conflict(string clientId) =>
        Refusal.Conflict("This client id is taken.", $"A client '{clientId}' already exists.").ToProblem();
}
