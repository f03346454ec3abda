using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using RabbitMQ.Client;
using Xunit;

namespace Platform.TestSupport;

/// <summary>
/// A RabbitMQ cluster of three nodes on this machine: Debian's rabbitmq-server run by the app host's own script, each
/// node with its own name, ports and data, all sharing one Erlang cookie; the second and third join the first at their
/// first start. Clients reach it through one address that, like a Kubernetes Service, hands each new connection to the
/// first node that accepts it (<see cref="TcpFailoverProxy"/>). For tests of what the platform does when a node is lost.
/// </summary>
public sealed class LocalRabbitMqCluster : IAsyncLifetime
{
    public const int NodeCount = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"platform-cluster-{Guid.NewGuid():N}"[..32]);
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
    private readonly string _cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _clusterId = Guid.NewGuid().ToString("N")[..8];
    private readonly List<Node> _nodes = [];
    private TcpFailoverProxy? _proxy;

    /// <summary>One node: its name, its ports, its process while it runs.</summary>
    public sealed class Node(string name, string data)
    {
        public string Name { get; } = name;
        public string Data { get; } = data;
        public int AmqpPort { get; internal set; }
        public int DistributionPort { get; internal set; }
        public int ManagementPort { get; internal set; }
        internal Process? Process { get; set; }
    }

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The cluster's one address (the proxy in front of the nodes), as the services are given it.</summary>
    public string ConnectionString => $"amqp://platform:{_password}@127.0.0.1:{_proxy?.Port ?? throw new InvalidOperationException("Not started.")}";

    /// <summary>A node's management API (<c>/api/...</c>) as the platform's user.</summary>
    public HttpClient ManagementClient(Node node)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ManagementPort}"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"platform:{_password}")));
        return client;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        for (var i = 1; i <= NodeCount; i++)
        {
            _nodes.Add(new Node($"cluster-{_clusterId}-{i}@localhost", Path.Combine(_root, $"node{i}")));
        }
        // The first node forms the cluster; the others join it at their first start.
        await StartOnReservedPortsAsync(_nodes[0], peers: "");
        await Task.WhenAll(_nodes.Skip(1).Select(node => StartOnReservedPortsAsync(node, peers: _nodes[0].Name)));
        using var management = ManagementClient(_nodes[0]);
        await Eventually.Until(async ct =>
        {
            var nodes = await management.GetFromJsonAsync<JsonElement>("/api/nodes?columns=name,running", ct);
            return nodes.EnumerateArray().Count(n => n.GetProperty("running").GetBoolean());
        }, running => running == NodeCount, $"{NodeCount} RabbitMQ nodes running as one cluster", StartTimeout);
        _proxy = TcpFailoverProxy.Start([.. _nodes.Select(n => n.AmqpPort)]);
    }

    /// <summary>Ends a node at once (SIGKILL: a crashed machine, nothing handed over), keeping its data.</summary>
    public async Task KillAsync(Node node)
    {
        if (node.Process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        await Task.WhenAll(_nodes.Select(n => InfrastructureScript.StopAsync(n.Process)));
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task StartOnReservedPortsAsync(Node node, string peers)
    {
        for (var attempt = 1; ; attempt++)
        {
            node.AmqpPort = ReservedPorts.Next();
            node.DistributionPort = ReservedPorts.Next();
            node.ManagementPort = ReservedPorts.Next();
            node.Process = InfrastructureScript.Start("rabbitmq.sh", _root, $"{node.Data}.log", new()
            {
                ["RABBITMQ_NODE_PORT"] = node.AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RABBITMQ_DIST_PORT"] = node.DistributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RABBITMQ_MANAGEMENT_PORT"] = node.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PLATFORM_RABBITMQ_DATA"] = node.Data,
                ["PLATFORM_RABBITMQ_NODENAME"] = node.Name,
                ["PLATFORM_RABBITMQ_PASSWORD"] = _password,
                ["PLATFORM_RABBITMQ_COOKIE"] = _cookie,
                ["PLATFORM_RABBITMQ_PEERS"] = peers,
            });
            try
            {
                await InfrastructureScript.WaitUntilAcceptingAsync(node.Name, node.Process, async ct =>
                {
                    var factory = new ConnectionFactory
                    {
                        Uri = new Uri($"amqp://platform:{_password}@127.0.0.1:{node.AmqpPort}"),
                        RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
                    };
                    await using var connection = await factory.CreateConnectionAsync(ct);
                }, StartTimeout, _root);
                return;
            }
            catch (ServerExitedException) when (attempt < StartAttempts)
            {
                if (!await InfrastructureScript.ExitedForATakenAddressAsync(node.Process, attempt))
                {
                    throw;
                }
                // Its data folder is new; a node that failed to start left nothing the next attempt must keep.
                try { Directory.Delete(node.Data, recursive: true); } catch (IOException) { }
            }
        }
    }
}
