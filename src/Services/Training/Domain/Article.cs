using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Training.Domain;

public enum ArticleCategory
{
    Policy,
    Skills,
}

/// <summary>A policy or job-skills article an organization publishes online.</summary>
public sealed class Article
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 50_000;

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public ArticleCategory Category { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset PublishedAt { get; private set; }
    public long ReadCount { get; private set; }

    private Article() { }

    public static Validated<Article> Publish(Guid? organizationId, ArticleCategory? category, string? title, string? body, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validOrganization = errors.Required("organizationId", organizationId);
        if (organizationId == Guid.Empty)
        {
            errors.Add("organizationId", "organizationId must not be empty.");
        }
        var validCategory = errors.Required("category", category);
        var validTitle = errors.Text("title", title, TitleMaxLength);
        var validBody = errors.Text("body", body, BodyMaxLength);
        if (errors.Any)
        {
            return Validated<Article>.Invalid(errors);
        }
        return Validated<Article>.Ok(new Article
        {
            Id = Guid.CreateVersion7(now),
            OrganizationId = validOrganization,
            Category = validCategory,
            Title = validTitle,
            Body = validBody,
            PublishedAt = now,
        });
    }
}
