using MassTransit;
using Platform.Contracts;
using Platform.ServiceDefaults.Messaging;
using Platform.Volunteers.Data;
using Platform.Volunteers.Domain;

namespace Platform.Volunteers.Events;

/// <summary>Keeps the local copy of enterprises a worker can name as their employer (queue "volunteers-enterprise-copy").</summary>
public sealed class EnterpriseCopyConsumer(VolunteersDb db, MessagingTelemetry telemetry, ILogger<EnterpriseCopyConsumer> logger)
    : IdempotentConsumer<EnterpriseRegistered, VolunteersDb>(db, telemetry, logger)
{
    protected override string ConsumerName => "enterprise-copy";

    protected override async Task HandleAsync(EnterpriseRegistered message, ConsumeContext<EnterpriseRegistered> context, CancellationToken cancellationToken)
    {
        var existing = await Db.Enterprises.FindAsync([message.EnterpriseId], cancellationToken);
        if (existing is null)
        {
            Db.Enterprises.Add(LocalEnterprise.From(message));
        }
        else
        {
            existing.Apply(message);
        }
    }
}
