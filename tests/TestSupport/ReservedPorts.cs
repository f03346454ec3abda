using System.Net;
using System.Net.Sockets;

namespace Platform.TestSupport;

/// <summary>
/// Loopback ports that belong to this test process for its whole life, for servers that cannot bind port 0 and report
/// it (PostgreSQL, RabbitMQ, a service whose own address must be known before it starts, the app host's endpoints) and
/// for an address that must keep refusing connections.
/// </summary>
/// <remarks>
/// A port taken from a released listener is anyone's a moment later: the kernel hands it to the next bind to port 0 or
/// outgoing connection, and the suite runs two test projects side by side, each starting servers. (A socket bound but
/// not listening does not keep it either: on Linux another listener still starts on that port.) So ports come from
/// <see cref="SpaceStart"/> up to the kernel's ephemeral range, which the kernel never hands out by itself, in blocks of
/// <see cref="BlockSize"/>: a test process takes a block by an exclusive lock on a file named after it and holds the lock
/// until it exits (the kernel drops it even on a crash). No other test process uses a port of a held block, so a server
/// restarted on its port (the broker in fault tests) finds it still free, and a port nothing was started on keeps
/// refusing. A port that something outside the tests is listening on (a developer's running platform) is skipped.
/// </remarks>
public static class ReservedPorts
{
    public const int SpaceStart = 20000;
    public const int BlockSize = 40;
    private const int DefaultEphemeralStart = 32768;
    private static readonly Lock Gate = new();
    // Held, never disposed: the locks are the reservation and end with the process.
    private static readonly List<FileStream> Held = [];
    private static int _next;
    private static int _blockEnd;

    /// <summary>A port of this process's blocks that nothing listens on now and no other test process will be given.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                if (_next >= _blockEnd)
                {
                    (_next, _blockEnd) = TakeBlock();
                }
                var port = _next++;
                if (CanListenOn(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>A whole block (first and last port, inclusive) for one server that allocates ports itself, such as the app host.</summary>
    public static (int First, int Last) Block()
    {
        lock (Gate)
        {
            var (first, end) = TakeBlock();
            return (first, end - 1);
        }
    }

    private static (int First, int End) TakeBlock()
    {
        var spaceEnd = EphemeralStart();
        var blocks = (spaceEnd - SpaceStart) / BlockSize;
        if (blocks < 1)
        {
            throw new InvalidOperationException(
                $"No test ports: the kernel's ephemeral range starts at {spaceEnd}, at or below {SpaceStart + BlockSize} (see /proc/sys/net/ipv4/ip_local_port_range).");
        }
        var folder = Path.Combine(Path.GetTempPath(), "platform-test-ports");
        Directory.CreateDirectory(folder);
        // A random first try, so processes starting together rarely contend for the same lock.
        var start = Random.Shared.Next(blocks);
        for (var i = 0; i < blocks; i++)
        {
            var first = SpaceStart + (start + i) % blocks * BlockSize;
            try
            {
                // FileShare.None takes an exclusive flock on Unix, released by the kernel when the process ends.
                Held.Add(new FileStream(Path.Combine(folder, $"block-{first}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                return (first, first + BlockSize);
            }
            catch (IOException)
            {
                // Another test process holds this block.
            }
        }
        throw new InvalidOperationException($"Every block of test ports from {SpaceStart} to {spaceEnd} is held by other test processes.");
    }

    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(new[] { '\t', ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return DefaultEphemeralStart;
        }
    }

    /// <summary>Whether a listener can start on the port now, on loopback and on every address (as the app host probes).</summary>
    private static bool CanListenOn(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.Any })
        {
            try
            {
                var listener = new TcpListener(address, port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }
}
