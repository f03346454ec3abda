using System.Text.Json.Nodes;

namespace Platform.Gateway.ApiDocument;

/// <summary>
/// Builds the one API document app teams read: every service's operations under the path the gateway serves them at,
/// components renamed per service (<c>organizations.Community</c>) so two services' "Community" cannot collide, tags
/// grouped per service, and the platform's OAuth2 scheme so the docs page can obtain a token.
/// </summary>
public static class ApiDocumentMerger
{
    public const string SecuritySchemeName = "oauth2";
    private static readonly string[] Operations = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <param name="services">Each service's document, or null when it could not be fetched (listed as unavailable).</param>
    /// <param name="routes">The gateway's routes: where each service path is served and whether it needs a token.</param>
    /// <param name="tokenUrl">The identity service's token endpoint as callers reach it (issuer + <c>connect/token</c>).</param>
    public static JsonObject Merge(IReadOnlyList<(string Service, JsonObject? Document)> services, GatewayRouteMap routes, string tokenUrl)
    {
        var paths = new JsonObject();
        var components = new JsonObject();
        var tags = new JsonArray();
        var tagGroups = new JsonArray();
        var unavailable = new JsonArray();

        foreach (var (service, document) in services.OrderBy(s => s.Service, StringComparer.Ordinal))
        {
            if (document is null)
            {
                unavailable.Add(service);
                continue;
            }
            RenameComponents(service, document, components);
            var serviceTags = new SortedSet<string>(StringComparer.Ordinal);
            var tagDescriptions = (document["tags"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(t => t["name"] is not null)
                .ToDictionary(t => t["name"]!.GetValue<string>(), t => t["description"]?.GetValue<string>());

            foreach (var (servicePath, item) in document["paths"] as JsonObject ?? [])
            {
                var gatewayPath = routes.GatewayPathOf(service, servicePath);
                if (gatewayPath is null || item is not JsonObject pathItem)
                {
                    // Not reachable through the gateway (e.g. health probes): not part of the public API.
                    continue;
                }
                var copy = (JsonObject)pathItem.DeepClone();
                copy.Remove("servers");
                foreach (var method in Operations)
                {
                    if (copy[method] is not JsonObject operation)
                    {
                        continue;
                    }
                    PrefixOperation(service, operation, serviceTags);
                    if (routes.IsAnonymous(method, gatewayPath))
                    {
                        // No token needed at the gateway (an empty requirement list overrides the document's default).
                        operation["security"] = new JsonArray();
                    }
                }
                paths[gatewayPath] = copy;
            }

            foreach (var tag in serviceTags)
            {
                var original = tag[(service.Length + 3)..];
                var entry = new JsonObject { ["name"] = tag };
                if (tagDescriptions.GetValueOrDefault(original) is { } description)
                {
                    entry["description"] = description;
                }
                tags.Add(entry);
            }
            tagGroups.Add(new JsonObject { ["name"] = service, ["tags"] = new JsonArray(serviceTags.Select(t => (JsonNode)t).ToArray()) });
        }

        var schemes = components["securitySchemes"] as JsonObject ?? new JsonObject();
        components["securitySchemes"] = schemes;
        schemes[SecuritySchemeName] = new JsonObject
        {
            ["type"] = "oauth2",
            ["description"] = "Access tokens from the platform's identity service: staff sign in with a password, partner " +
                              "systems with client credentials, workers with a phone one-time code (see the README).",
            ["flows"] = new JsonObject
            {
                ["password"] = new JsonObject { ["tokenUrl"] = tokenUrl, ["scopes"] = new JsonObject() },
                ["clientCredentials"] = new JsonObject { ["tokenUrl"] = tokenUrl, ["scopes"] = new JsonObject() },
            },
        };

        var info = new JsonObject
        {
            ["title"] = "City gig-worker platform API",
            ["version"] = "v1",
            ["description"] = unavailable.Count == 0
                ? "Every service's API as served by the gateway."
                : "Every service's API as served by the gateway. Not included because the service did not answer: " +
                  string.Join(", ", unavailable.Select(u => u!.GetValue<string>())) + ".",
        };
        if (unavailable.Count > 0)
        {
            info["x-unavailable-services"] = unavailable;
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = info,
            ["paths"] = paths,
            ["components"] = components,
            ["security"] = new JsonArray(new JsonObject { [SecuritySchemeName] = new JsonArray() }),
            ["tags"] = tags,
            ["x-tagGroups"] = tagGroups,
        };
    }

    private static void PrefixOperation(string service, JsonObject operation, SortedSet<string> serviceTags)
    {
        if (operation["operationId"] is JsonValue id)
        {
            operation["operationId"] = $"{service}.{id.GetValue<string>()}";
        }
        var operationTags = operation["tags"] as JsonArray;
        var names = operationTags?.Select(t => t?.GetValue<string>()).OfType<string>().ToList() ?? [];
        if (names.Count == 0)
        {
            names.Add(service);
        }
        var prefixed = names.Select(n => $"{service} / {n}").ToList();
        prefixed.ForEach(t => serviceTags.Add(t));
        operation["tags"] = new JsonArray(prefixed.Select(t => (JsonNode)t).ToArray());
    }

    /// <summary>
    /// Moves the service's components into the merged set under prefixed names, with every reference in the service's
    /// document (components included) rewritten to the new names.
    /// </summary>
    private static void RenameComponents(string service, JsonObject document, JsonObject merged)
    {
        if (document["components"] is not JsonObject components)
        {
            return;
        }
        // The platform declares the one security scheme itself; a service's own would only confuse callers.
        components.Remove("securitySchemes");
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, entries) in components)
        {
            foreach (var (name, _) in entries as JsonObject ?? [])
            {
                renamed[$"#/components/{kind}/{name}"] = $"#/components/{kind}/{service}.{name}";
            }
        }
        RewriteReferences(document, renamed);
        foreach (var (kind, entries) in components)
        {
            if (entries is not JsonObject named)
            {
                continue;
            }
            var target = merged[kind] as JsonObject ?? new JsonObject();
            merged[kind] = target;
            foreach (var (name, value) in named)
            {
                target[$"{service}.{name}"] = value?.DeepClone();
            }
        }
    }

    private static void RewriteReferences(JsonNode? node, Dictionary<string, string> renamed)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var target))
                    {
                        obj[key] = Rename(target, renamed);
                    }
                    else
                    {
                        RewriteReferences(value, renamed);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteReferences(item, renamed);
                }
                break;
        }
    }

    private static string Rename(string reference, Dictionary<string, string> renamed)
    {
        if (renamed.TryGetValue(reference, out var exact))
        {
            return exact;
        }
        // "#/components/schemas/X/properties/y": rename the component part, keep the rest.
        var parts = reference.Split('/');
        if (parts.Length > 4 && parts[0] == "#" && parts[1] == "components")
        {
            var head = string.Join('/', parts[..4]);
            if (renamed.TryGetValue(head, out var newHead))
            {
                return newHead + reference[head.Length..];
            }
        }
        return reference;
    }
}
