using Cog.Relay.Isolation;

namespace Cog.Relay.Tests.Support;

/// <summary>The sandbox tests run bundle code in: the real one the relay would choose on this host (bubblewrap, as
/// root, on the CI host).</summary>
static class TestSandbox
{
    static readonly Lazy<ISandbox> Detected = new(() =>
    {
        var options = new SandboxOptions();
        // Once per test run, before any test needs it: there is no async context to wait in a field initializer.
        return Sandbox.Create(options, HostIsolation.DetectAsync(options).GetAwaiter().GetResult());
    });

    /// <summary>The sandbox, detected once.</summary>
    public static ISandbox Instance => Detected.Value;

    /// <summary>The sandbox the relay would choose here with <paramref name="bundles"/> as its network bundles.</summary>
    public static ISandbox WithNetwork(params string[] bundles)
    {
        var options = new SandboxOptions { NetworkBundles = [.. bundles] };
        return Sandbox.Create(options, HostIsolation.DetectAsync(options).GetAwaiter().GetResult());
    }
}
