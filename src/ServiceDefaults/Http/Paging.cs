namespace Platform.ServiceDefaults.Http;

/// <summary>Paging query of every list: <c>?page=1&amp;pageSize=50</c>; nothing returns an unbounded list.</summary>
public sealed record PageQuery(int? Page, int? PageSize)
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
}

/// <summary>One page of a list, with the total so that clients can show "page 2 of 9".</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);
