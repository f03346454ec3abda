using Platform.Contracts;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

public enum Industry
{
    Express,
    FoodDelivery,
    RideHail,
    LiveStreamEcommerce,
    Other,
}

/// <summary>A new-business enterprise (新业态企业) or a local depot, identified by its Unified Social Credit Code.</summary>
public sealed class Enterprise
{
    public const int NameMaxLength = 200;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string CreditCode { get; private set; } = "";
    public Industry Industry { get; private set; }
    public string? District { get; private set; }
    /// <summary>The community the enterprise (depot) is in: where it falls back to when no organization covers it (属地兜底).</summary>
    public Guid? CommunityId { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    private Enterprise() { }

    public static Validated<Enterprise> Register(string? name, string? creditCode, Industry? industry, string? district, DateTimeOffset now, Guid? communityId = null)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var validName = errors.Text("name", name, NameMaxLength);
        var validIndustry = errors.Required("industry", industry);
        var validDistrict = errors.OptionalText("district", district, Community.PlaceMaxLength);
        if (communityId == Guid.Empty)
        {
            errors.Add("communityId", "communityId cannot be an empty id.");
        }
        string code = "";
        if (string.IsNullOrWhiteSpace(creditCode))
        {
            errors.Add("creditCode", "creditCode is required.");
        }
        else if (!UnifiedSocialCreditCode.TryParse(creditCode, out var parsed, out var error))
        {
            errors.Add("creditCode", error!);
        }
        else
        {
            code = parsed!.Value;
        }
        if (errors.Any)
        {
            return Validated<Enterprise>.Invalid(errors);
        }
        return Validated<Enterprise>.Ok(new Enterprise
        {
            Id = Guid.CreateVersion7(now),
            Name = validName,
            CreditCode = code,
            Industry = validIndustry,
            District = validDistrict,
            CommunityId = communityId,
            RegisteredAt = now,
        });
    }

    public EnterpriseRegistered ToEvent() => new(Id, Name, CreditCode, IndustryCode(Industry), District, RegisteredAt);

    /// <summary>The industry as it travels in events and JSON ("food-delivery").</summary>
    public static string IndustryCode(Industry industry) => KebabEnum.Name(industry);
}
