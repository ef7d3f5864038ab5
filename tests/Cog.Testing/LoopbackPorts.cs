using System.Net;
using System.Net.Sockets;

namespace Cog.Testing;

/// <summary>Ports for the real services tests start (brokers, databases, servers) on the loopback interface.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on at this moment (the system's choice of a free one).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
