using MassTransit;
using Platform.Contracts;
using Platform.Organizations.Application;
using Platform.Organizations.Data;
using Platform.Organizations.Domain;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Organizations.Events;

/// <summary>A worker registered: remember the enterprise and party-member flag, then place the member if now possible.</summary>
public sealed class WorkerRegisteredConsumer(OrganizationsDb db, MemberPlacements placements, MessagingTelemetry telemetry, ILogger<WorkerRegisteredConsumer> logger)
    : IdempotentConsumer<WorkerRegistered, OrganizationsDb>(db, telemetry, logger)
{
    protected override string ConsumerName => "worker-registered";

    protected override Task BeforeHandlingAsync(IReadOnlyList<WorkerRegistered> messages, CancellationToken cancellationToken) =>
        placements.LockForEventsAsync([.. messages.Select(m => m.WorkerId)], cancellationToken);

    protected override Task HandleAsync(WorkerRegistered message, ConsumeContext<WorkerRegistered> context, CancellationToken cancellationToken) =>
        placements.RecordAndPlaceAsync(message.WorkerId, w => w.Apply(message), cancellationToken);
}

/// <summary>A worker reported to a community: remember it, then place the member (by fallback) if now possible.</summary>
public sealed class WorkerReportedToCommunityConsumer(OrganizationsDb db, MemberPlacements placements, MessagingTelemetry telemetry, ILogger<WorkerReportedToCommunityConsumer> logger)
    : IdempotentConsumer<WorkerReportedToCommunity, OrganizationsDb>(db, telemetry, logger)
{
    protected override string ConsumerName => "worker-reported-to-community";

    protected override Task BeforeHandlingAsync(IReadOnlyList<WorkerReportedToCommunity> messages, CancellationToken cancellationToken) =>
        placements.LockForEventsAsync([.. messages.Select(m => m.WorkerId)], cancellationToken);

    protected override Task HandleAsync(WorkerReportedToCommunity message, ConsumeContext<WorkerReportedToCommunity> context, CancellationToken cancellationToken) =>
        placements.RecordAndPlaceAsync(message.WorkerId, w => w.Apply(message), cancellationToken);
}
