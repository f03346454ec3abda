using Platform.Contracts;

namespace Platform.Volunteers.Domain;

/// <summary>This service's copy of an enterprise registered with the organizations service (fed by EnterpriseRegistered).</summary>
public sealed class LocalEnterprise
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Industry { get; private set; } = "";
    public string? District { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    private LocalEnterprise() { }

    public static LocalEnterprise From(EnterpriseRegistered e)
    {
        var copy = new LocalEnterprise { Id = e.EnterpriseId };
        copy.Apply(e);
        return copy;
    }

    /// <summary>Takes the event's details; a redelivered or older copy of the same registration changes nothing.</summary>
    public void Apply(EnterpriseRegistered e)
    {
        Name = e.Name;
        Industry = e.Industry;
        District = e.District;
        RegisteredAt = e.RegisteredAt;
    }
}
