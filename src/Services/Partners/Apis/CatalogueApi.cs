using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Partners.Domain;

namespace Platform.Partners.Apis;

public sealed record CatalogueEntry(string Type, string Source, string Description, bool FilterableByDistrict, string? CategoryFilter);

public static class CatalogueApi
{
    public static RouteGroupBuilder MapCatalogueApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/catalogue").WithTags("Catalogue");
        group.MapGet("/", List)
            // The catalogue is public: an agency reads it before it has a client.
            .AllowAnonymous()
            .WithName("ListPublicEventTypes")
            .WithSummary("Event types partner agencies can subscribe to")
            .WithDescription("The public event catalogue: CloudEvents type, source, meaning, and which filters apply. No type carries personal data.");
        return group;
    }

    private static Ok<IReadOnlyList<CatalogueEntry>> List() =>
        TypedResults.Ok<IReadOnlyList<CatalogueEntry>>(PublicEventCatalogue.All
            .Select(t => new CatalogueEntry(t.Type, t.Source, t.Description, t.FilterableByDistrict, t.CategoryMeaning))
            .ToList());
}
