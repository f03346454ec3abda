using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults.Data;

namespace Platform.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string BrokerConnectionName = "rabbitmq";

    /// <summary>Every consumer's queue a quorum queue (on in the cluster manifests): <c>Platform:Messaging:QuorumQueues</c>.</summary>
    public const string QuorumQueuesSetting = "Platform:Messaging:QuorumQueues";

    /// <summary>
    /// The platform's messaging kit, the same in every service: MassTransit over RabbitMQ (durable queues named
    /// "&lt;service&gt;-&lt;consumer&gt;", publisher confirms, prefetch 128, short in-memory retries, then the
    /// <c>_error</c> queue), the transactional outbox dispatcher for <typeparamref name="TDb"/>, and the inbox.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDb>(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? consumers = null)
        where TDb : DbContext
    {
        var serviceName = builder.Environment.ServiceName();
        var connectionString = builder.Configuration.GetConnectionString(BrokerConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString) && !EF.IsDesignTime)
        {
            throw new InvalidOperationException(
                $"Connection string '{BrokerConnectionName}' is missing. Start the service through the app host, or set ConnectionStrings__{BrokerConnectionName}.");
        }

        builder.Services.TryAddSingletonOutboxParts();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Platform:Outbox");
        builder.Services.AddOptions<InboxOptions>().BindConfiguration("Platform:Inbox");
        builder.Services.TryAddSingleton<InboxLanes>();
        builder.Services.AddHostedService<OutboxDispatcher<TDb>>();

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // The service starts (and accepts writes into its outbox) even while the broker is down.
            o.WaitUntilStarted = false;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(4);
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            // MassTransit would report usage to its vendor over the internet: nothing leaves the city's network.
            bus.DisableUsageTelemetry();
            consumers?.Invoke(bus);
            if (builder.Configuration.GetValue(QuorumQueuesSetting, false))
            {
                // On a RabbitMQ cluster: each consumer's queue replicated over the nodes, so it survives the loss of one
                // (docs/scale.md, "Quorum queues").
                bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.SetQuorumQueue();
                    }
                });
            }
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(connectionString ?? "amqp://localhost"), host =>
                {
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                    host.Heartbeat(TimeSpan.FromSeconds(10));
                    host.ConnectionName(serviceName);
                });
                // Measured here: the default prefetch of 16 starves consumers; 128 with 64 concurrent reaches ~15k msg/s.
                cfg.PrefetchCount = 128;
                cfg.ConcurrentMessageLimit = 64;
                // The database away (a restart, a standby being promoted) is waited out, for about a minute and a half,
                // rather than sending the message to the _error queue after the three quick retries that a fault of the
                // code or of the message gets.
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(e => e.IsDatabaseAway());
                    r.Incremental(24, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(250));
                });
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(e => !e.IsDatabaseAway());
                    r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    private static void TryAddSingletonOutboxParts(this IServiceCollection services)
    {
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<MessagingTelemetry>();
        services.TryAddSingleton(TimeProvider.System);
    }
}
