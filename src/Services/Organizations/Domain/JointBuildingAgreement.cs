using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>
/// A joint-building agreement (联建共建) between an enterprise and a community's Party organization: "couriers give
/// service, communities give convenience".
/// </summary>
public sealed class JointBuildingAgreement
{
    public const int TermsMaxLength = 4000;

    public Guid Id { get; private set; }
    public Guid EnterpriseId { get; private set; }
    public Guid CommunityId { get; private set; }
    public DateOnly SignedOn { get; private set; }
    public string Terms { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    private JointBuildingAgreement() { }

    public static Validated<JointBuildingAgreement> Sign(Guid? enterpriseId, Guid? communityId, DateOnly? signedOn, string? terms, DateOnly today, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var enterprise = errors.Required("enterpriseId", enterpriseId);
        var community = errors.Required("communityId", communityId);
        var on = errors.Required("signedOn", signedOn);
        var text = errors.Text("terms", terms, TermsMaxLength);
        if (signedOn > today)
        {
            errors.Add("signedOn", "signedOn cannot be in the future.");
        }
        return errors.Any
            ? Validated<JointBuildingAgreement>.Invalid(errors)
            : Validated<JointBuildingAgreement>.Ok(new JointBuildingAgreement
            {
                Id = Guid.CreateVersion7(now),
                EnterpriseId = enterprise,
                CommunityId = community,
                SignedOn = on,
                Terms = text,
                RecordedAt = now,
            });
    }
}
