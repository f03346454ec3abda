using System.Net;
using System.Net.Sockets;

namespace Platform.TestSupport;

/// <summary>
/// One address in front of several servers, as a Kubernetes Service is in front of a RabbitmqCluster's pods: each new
/// connection goes to the first server, in order, that accepts it; when that server goes away its connections are
/// closed, so the clients reconnect and land on one that is still there.
/// </summary>
public sealed class TcpFailoverProxy : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<int> _servers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TcpFailoverProxy(TcpListener listener, IReadOnlyList<int> servers)
    {
        _listener = listener;
        _servers = servers;
        _accepting = AcceptAsync();
    }

    /// <summary>The address clients use.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on a reserved loopback port (another if something outside the tests took it) for the servers on these ports.</summary>
    public static TcpFailoverProxy Start(IReadOnlyList<int> serverPorts)
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, ReservedPorts.Next());
            try
            {
                listener.Start();
                return new TcpFailoverProxy(listener, serverPorts);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listener.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        {
            using var server = await ConnectToFirstAcceptingAsync();
            if (server is null)
            {
                return; // none accepts: the client sees its connection closed, as with a Service without ready pods
            }
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), relay.Token);
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), relay.Token);
            // Either side gone: close both, so the client learns at once that its server is gone.
            await Task.WhenAny(toServer, toClient);
            await relay.CancelAsync();
            await Task.WhenAll(toServer, toClient);
        }
    }

    private async Task<TcpClient?> ConnectToFirstAcceptingAsync()
    {
        foreach (var port in _servers)
        {
            var server = new TcpClient();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(ConnectTimeout);
                await server.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return server;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                server.Dispose();
            }
        }
        return null;
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The connection ended on one side.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
