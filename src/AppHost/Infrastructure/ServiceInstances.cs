using Microsoft.Extensions.Configuration;

namespace Platform.AppHost.Infrastructure;

/// <summary>
/// The instances of one platform service: <c>Platform:Instances:&lt;service&gt;</c> of them (default 1; e.g.
/// <c>Platform__Instances__stations=2 ./run.sh</c>), each a resource of its own in the dashboard (<c>stations</c>,
/// <c>stations-2</c>) on one database and one broker with the same settings. Aspire's replicas are not used: they need
/// the orchestrator's proxy in front, and the services run without it so that a stopped one refuses at once.
/// </summary>
public sealed class ServiceInstances
{
    private readonly List<IResourceBuilder<ProjectResource>> _all;

    private ServiceInstances(string name, List<IResourceBuilder<ProjectResource>> all)
    {
        Name = name;
        _all = all;
    }

    /// <summary>The service's name: its first instance's resource name and the name others discover it by.</summary>
    public string Name { get; }

    /// <summary>The first instance (the one named like the service).</summary>
    public IResourceBuilder<ProjectResource> First => _all[0];

    public IReadOnlyList<IResourceBuilder<ProjectResource>> All => _all;

    /// <summary>Adds the configured number of instances of <typeparamref name="TProject"/>, each set up by <paramref name="configure"/>.</summary>
    public static ServiceInstances Add<TProject>(IDistributedApplicationBuilder builder, string name,
        Func<IResourceBuilder<ProjectResource>, IResourceBuilder<ProjectResource>> configure) where TProject : IProjectMetadata, new()
    {
        var count = builder.Configuration.GetValue($"Platform:Instances:{name}", 1);
        if (count < 1)
        {
            throw new InvalidOperationException($"Platform:Instances:{name} must be 1 or more, not {count}.");
        }
        var all = Enumerable.Range(1, count)
            .Select(i => configure(builder.AddProject<TProject>(i == 1 ? name : $"{name}-{i}")))
            .ToList();
        return new ServiceInstances(name, all);
    }

    /// <summary>Applies <paramref name="configure"/> to every instance.</summary>
    public ServiceInstances Each(Action<IResourceBuilder<ProjectResource>> configure)
    {
        _all.ForEach(configure);
        return this;
    }
}

public static class ServiceInstancesExtensions
{
    /// <summary>
    /// Lets <paramref name="client"/> reach every instance of <paramref name="service"/> by the service's name (service
    /// discovery's <c>services__&lt;name&gt;__http__&lt;n&gt;</c>): the gateway balances over them, others take the first that answers.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> client, ServiceInstances service)
        where T : IResourceWithEnvironment
    {
        client.WithReference(service.First);
        for (var i = 1; i < service.All.Count; i++)
        {
            client.WithEnvironment($"services__{service.Name}__http__{i}", service.All[i].GetEndpoint("http"));
        }
        return client;
    }

    /// <summary>Starts <paramref name="dependent"/> only once every instance of <paramref name="service"/> is ready.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> dependent, ServiceInstances service)
        where T : IResourceWithWaitSupport
    {
        foreach (var instance in service.All)
        {
            dependent.WaitFor(instance);
        }
        return dependent;
    }
}
