namespace Cog.Runtime.Identity;

/// <summary>Limits password guessing before any password is checked: each client address may make
/// <see cref="SignInThrottleOptions.MaxAttemptsPerAddress"/> attempts per fixed window, and a username is locked out
/// for <see cref="SignInThrottleOptions.Lockout"/> at the address that failed to sign in as it
/// <see cref="SignInThrottleOptions.MaxFailures"/> times in a row.</summary>
/// <remarks>
/// <para>The lockout is per (username, client address), temporary and fixed: somebody guessing at another address
/// cannot lock the real user out, and the address limit bounds how fast any one address guesses. A successful sign-in
/// clears the pair's count. Addresses are the connection's remote address: behind a proxy every caller shares the
/// proxy's address and its limit.</para>
/// <para>In memory, per server; at most <see cref="SignInThrottleOptions.MaxTracked"/> entries of each kind are kept
/// beyond the ones whose window and lockout have passed. Thread-safe.</para>
/// </remarks>
public sealed class SignInThrottle(SignInThrottleOptions options, TimeProvider time)
{
    readonly Lock _lock = new();
    readonly Dictionary<string, (DateTimeOffset Start, int Attempts)> _addresses = new(StringComparer.Ordinal);
    readonly Dictionary<(string Name, string Address), (int Failures, DateTimeOffset Until)> _names = [];

    /// <summary>Counts an attempt by <paramref name="address"/> to sign in as <paramref name="name"/>, and says whether
    /// it may go on: <see cref="SignInFailure.None"/>, or <see cref="SignInFailure.LockedOut"/> /
    /// <see cref="SignInFailure.Throttled"/> with how long to wait.</summary>
    public (SignInFailure Refusal, TimeSpan RetryAfter) Admit(string name, string address)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_names.TryGetValue((name, address), out var pair) && pair.Until > now)
                return (SignInFailure.LockedOut, pair.Until - now);
            var window = _addresses.TryGetValue(address, out var current) && now - current.Start < options.AddressWindow
                ? current
                : (Start: now, Attempts: 0);
            if (window.Attempts >= options.MaxAttemptsPerAddress)
                return (SignInFailure.Throttled, window.Start + options.AddressWindow - now);
            if (!_addresses.ContainsKey(address) && _addresses.Count >= options.MaxTracked)
                Forget(_addresses, w => now - w.Start >= options.AddressWindow);
            _addresses[address] = (window.Start, window.Attempts + 1);
            return (SignInFailure.None, TimeSpan.Zero);
        }
    }

    /// <summary>Records a failed sign-in; the one that reaches <see cref="SignInThrottleOptions.MaxFailures"/> starts the
    /// lockout.</summary>
    public void Failed(string name, string address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var failures = (_names.TryGetValue((name, address), out var pair) ? pair.Failures : 0) + 1;
            if (!_names.ContainsKey((name, address)) && _names.Count >= options.MaxTracked)
                Forget(_names, p => p.Until <= now);
            _names[(name, address)] = failures >= options.MaxFailures ? (0, now + options.Lockout) : (failures, DateTimeOffset.MinValue);
        }
    }

    /// <summary>Removes the entries that no longer limit anybody (removing while enumerating is allowed for a Dictionary).</summary>
    static void Forget<TKey, TValue>(Dictionary<TKey, TValue> entries, Func<TValue, bool> stale)
        where TKey : notnull
    {
        foreach (var (key, value) in entries)
        {
            if (stale(value))
                entries.Remove(key);
        }
    }

    /// <summary>Records a successful sign-in: the pair's failures are forgotten.</summary>
    public void Succeeded(string name, string address)
    {
        lock (_lock)
            _names.Remove((name, address));
    }
}

/// <summary>Why a sign-in failed (audited as <c>auth.failed</c>'s <c>reason</c>).</summary>
public enum SignInFailure
{
    /// <summary>It did not fail.</summary>
    None,

    /// <summary>No user has that username or email address.</summary>
    UnknownUser,

    /// <summary>The password is wrong.</summary>
    BadPassword,

    /// <summary>The user is not active.</summary>
    Inactive,

    /// <summary>Too many failures for that username from that address: locked out for a while; no password was checked.</summary>
    LockedOut,

    /// <summary>Too many attempts from that address: no password was checked.</summary>
    Throttled,
}
