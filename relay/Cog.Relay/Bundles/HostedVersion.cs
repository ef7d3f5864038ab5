namespace Cog.Relay.Bundles;

/// <summary>
/// One ready bundle version and the leases held on it: it serves new leases until it is retired, and runs its unload
/// action once, when it is retired and its last lease has ended.
/// </summary>
/// <remarks>Thread-safe and lock-free: <see cref="TryAcquire"/> is on the path of every invocation and allocates only
/// the lease. The state is one integer: twice the number of leases, plus 1 once retired.</remarks>
sealed class HostedVersion
{
    readonly Action _release;
    readonly Action _unload;
    int _state;

    /// <param name="bundle">The ready version.</param>
    /// <param name="unload">Runs once, when the version is retired and no lease is held (unregisters the plugin
    /// assembly, drops compiled scripts, deletes the folder).</param>
    public HostedVersion(ReadyBundle bundle, Action unload)
    {
        Bundle = bundle;
        _unload = unload;
        _release = Release;
    }

    /// <summary>The ready version.</summary>
    public ReadyBundle Bundle { get; }

    /// <summary>How many leases are held now.</summary>
    public int Leases => Volatile.Read(ref _state) >> 1;

    /// <summary>Whether the version was retired (it takes no new lease).</summary>
    public bool IsRetired => (Volatile.Read(ref _state) & 1) != 0;

    /// <summary>Whether the unload action has run.</summary>
    public bool IsUnloaded { get; private set; }

    /// <summary>A new lease, or <see langword="null"/> once retired.</summary>
    public BundleLease? TryAcquire()
    {
        var state = Volatile.Read(ref _state);
        while ((state & 1) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state + 2, state);
            if (seen == state)
            {
                return new BundleLease(Bundle, _release);
            }
            state = seen;
        }
        return null;
    }

    /// <summary>Takes the version out of service: no new lease; unloaded now, or when the last lease ends.</summary>
    public void Retire()
    {
        var before = Interlocked.Or(ref _state, 1);
        if (before == 0)
        {
            Unload();
        }
    }

    void Release()
    {
        // Once retired the count only goes down, so exactly one release sees "retired, no lease".
        if (Interlocked.Add(ref _state, -2) == 1)
        {
            Unload();
        }
    }

    void Unload()
    {
        IsUnloaded = true;
        _unload();
    }
}
