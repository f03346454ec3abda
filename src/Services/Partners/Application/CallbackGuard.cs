using System.Net;
using System.Net.Sockets;
using Platform.Partners.Domain;

namespace Platform.Partners.Application;

/// <summary>A callback host resolved to an address the platform must not call.</summary>
public sealed class CallbackRefusedException(string message) : Exception(message);

/// <summary>
/// Resolves a callback host and refuses it unless every address is public or the host is allow-listed. Used at
/// registration and again at each connection (so a DNS answer that changes to 127.0.0.1 later is caught too).
/// </summary>
public sealed class CallbackGuard(AllowedHostList allowed)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The addresses to connect to; throws <see cref="CallbackRefusedException"/> when not allowed.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (SocketException ex)
            {
                throw new CallbackRefusedException($"The host '{host}' does not resolve ({ex.SocketErrorCode}).");
            }
        }
        if (addresses.Length == 0)
        {
            throw new CallbackRefusedException($"The host '{host}' has no address.");
        }
        if (!addresses.All(NetworkAddresses.IsPublic) && !await allowed.AllowsAsync(host, ct))
        {
            throw new CallbackRefusedException(
                $"The host '{host}' resolves to a loopback, private, link-local or otherwise non-public address; callbacks must reach the public internet.");
        }
        return addresses;
    }

    /// <summary>The registration check: the error a partner should read, or null.</summary>
    public async Task<string?> RefusalAsync(Uri callback, CancellationToken ct)
    {
        try
        {
            await ResolveAsync(callback.IdnHost, ct);
            return null;
        }
        catch (CallbackRefusedException ex)
        {
            return ex.Message;
        }
    }
}
