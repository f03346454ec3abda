using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

public sealed record PublishArticleRequest(Guid? OrganizationId, ArticleCategory? Category, string? Title, string? Body);

public sealed record ArticleSummary(Guid Id, Guid OrganizationId, ArticleCategory Category, string Title, DateTimeOffset PublishedAt, long ReadCount);

public sealed record ArticleResponse(Guid Id, Guid OrganizationId, ArticleCategory Category, string Title, string Body, DateTimeOffset PublishedAt, long ReadCount)
{
    public static ArticleResponse From(Article a) => new(a.Id, a.OrganizationId, a.Category, a.Title, a.Body, a.PublishedAt, a.ReadCount);
}

public static class ArticlesApi
{
    public static RouteGroupBuilder MapArticlesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/articles").WithTags("Articles").RequireAuthorization();
        group.MapPost("/", Publish)
            .RequireRoles(PlatformRoles.OrgOfficer, PlatformRoles.Operator)
            .AcceptsIdempotencyKey()
            .WithName("PublishArticle")
            .WithSummary("Publish a policy or job-skills article");
        group.MapGet("/", List)
            .WithName("ListArticles")
            .WithSummary("Articles, newest first, with read counts; filter by category and organization");
        group.MapGet("/{id:guid}", Read)
            .WithName("ReadArticle")
            .WithSummary("Read an article (counts as one read)");
        return group;
    }

    internal static async Task<Results<Created<ArticleResponse>, ValidationProblem>> Publish(
        PublishArticleRequest request, TrainingDb db, TimeProvider clock, CancellationToken ct)
    {
        var published = Article.Publish(request.OrganizationId, request.Category, request.Title, request.Body, clock.GetUtcNow());
        if (!published.IsValid)
        {
            return TypedResults.ValidationProblem(published.Errors);
        }
        db.Articles.Add(published.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/articles/{published.Value!.Id}", ArticleResponse.From(published.Value!));
    }

    internal static async Task<Results<Ok<Page<ArticleSummary>>, ValidationProblem>> List(
        TrainingDb db, [AsParameters] PageQuery paging, string? category, Guid? organizationId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var categoryFilter = KebabEnum.Filter<ArticleCategory>(category, "category", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = db.Articles.AsNoTracking();
        if (categoryFilter is not null) { query = query.Where(a => a.Category == categoryFilter); }
        if (organizationId is not null) { query = query.Where(a => a.OrganizationId == organizationId); }
        return TypedResults.Ok(await query.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Select(a => new ArticleSummary(a.Id, a.OrganizationId, a.Category, a.Title, a.PublishedAt, a.ReadCount)).ToPageAsync(paging, ct));
    }

    internal static async Task<Results<Ok<ArticleResponse>, NotFound>> Read(Guid id, TrainingDb db, CancellationToken ct)
    {
        // One atomic increment in the database: concurrent readers are all counted.
        var counted = await db.Articles.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ReadCount, a => a.ReadCount + 1), ct);
        if (counted == 0)
        {
            return TypedResults.NotFound();
        }
        var article = await db.Articles.AsNoTracking().FirstAsync(a => a.Id == id, ct);
        return TypedResults.Ok(ArticleResponse.From(article));
    }
}
