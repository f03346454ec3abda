using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Paging query of every list: <c>?page=1&amp;pageSize=50</c>; nothing returns an unbounded list. An endpoint that
/// takes it (<c>[AsParameters] PageQuery paging</c>) refuses a page or page size out of range with a validation
/// problem before its handler runs: the check is here, once, not in each handler.
/// </summary>
public sealed record PageQuery(int? Page, int? PageSize) : IEndpointParameterMetadataProvider
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public int PageNumber => Page ?? 1;
    public int Size => PageSize ?? DefaultPageSize;
    public int Skip => (PageNumber - 1) * Size;

    /// <summary>Field errors for a problem-details answer, or none.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (PageNumber < 1)
        {
            errors["page"] = ["page starts at 1."];
        }
        if (Size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        return errors;
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        var position = parameter.Position;
        builder.FilterFactories.Add((_, next) => async context =>
            context.GetArgument<PageQuery>(position).Validate() is { Count: > 0 } errors
                ? TypedResults.ValidationProblem(errors)
                : await next(context));
    }
}

public static class PagingExtensions
{
    /// <summary>
    /// One page of an ordered query, with the number of all its rows. Counted first: a row added between the two
    /// queries then shows among the items, never in a total without its item.
    /// </summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageQuery paging, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(paging);
        var total = await ordered.LongCountAsync(ct);
        var items = await ordered.Skip(paging.Skip).Take(paging.Size).ToListAsync(ct);
        return new Page<T>(items, paging.PageNumber, paging.Size, total);
    }

    /// <summary>The same page with each item turned into what the API answers (for mapping that cannot run in SQL).</summary>
    public static Page<TOut> Map<TIn, TOut>(this Page<TIn> page, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Page<TOut>([.. page.Items.Select(map)], page.PageNumber, page.PageSize, page.Total);
    }

    /// <summary>
    /// The same page carrying <paramref name="items"/>, one for each of its rows: for answers that need more than the
    /// rows (loaded for the whole page in one query, not row by row).
    /// </summary>
    public static Page<TOut> With<TIn, TOut>(this Page<TIn> page, IReadOnlyList<TOut> items)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count != page.Items.Count)
        {
            throw new ArgumentException($"A page of {page.Items.Count} rows cannot carry {items.Count} items.", nameof(items));
        }
        return new Page<TOut>(items, page.PageNumber, page.PageSize, page.Total);
    }
}

/// <summary>One page of a list, with the total so that clients can show "page 2 of 9".</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);
