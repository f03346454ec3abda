using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Platform.ServiceDefaults.Security;

/// <summary>
/// Writes into each operation of the API document which roles may call it, from the endpoint's own authorization
/// metadata (the policy the authorization middleware enforces): an <c>x-roles</c> list for tools and a sentence in
/// the description for people. Without it an app team learns an operation's role only from a 403.
/// </summary>
public static class RolesInApiDocument
{
    public const string Extension = "x-roles";

    public static OpenApiOptions AddRolesToOperations(this OpenApiOptions options) =>
        options.AddOperationTransformer(async (operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return;
            }
            var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
            var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>());
            if (Allowed(policy) is not { Count: > 0 } roles)
            {
                return;
            }
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[Extension] = new JsonNodeExtension(new JsonArray([.. roles.Select(r => (JsonNode)r)]));
            var sentence = $"Roles allowed: {string.Join(", ", roles)}.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? sentence : $"{operation.Description}\n\n{sentence}";
        });

    /// <summary>
    /// The roles that satisfy every role requirement of the policy (a group's and its endpoint's both apply), in the
    /// platform's order of roles; null when the policy asks for no role.
    /// </summary>
    private static List<string>? Allowed(AuthorizationPolicy? policy)
    {
        var requirements = policy?.Requirements.OfType<RolesAuthorizationRequirement>().ToList() ?? [];
        if (requirements.Count == 0)
        {
            return null;
        }
        IEnumerable<string> allowed = requirements[0].AllowedRoles;
        foreach (var requirement in requirements.Skip(1))
        {
            allowed = allowed.Intersect(requirement.AllowedRoles, StringComparer.Ordinal);
        }
        var set = allowed.ToHashSet(StringComparer.Ordinal);
        return [.. PlatformRoles.All.Where(set.Contains).Concat(set.Where(r => !PlatformRoles.All.Contains(r)).Order(StringComparer.Ordinal))];
    }
}
