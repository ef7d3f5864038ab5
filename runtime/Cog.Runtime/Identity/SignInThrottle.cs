namespace Cog.Runtime.Identity;

/// <summary>Limits password guessing before any password is checked, per client address, per (username, address) and
/// per username.</summary>
/// <remarks>
/// <para>Three limits, each checked before anything is looked up or hashed:</para>
/// <list type="bullet">
/// <item>a client address may make <see cref="SignInThrottleOptions.MaxAttemptsPerAddress"/> attempts per
/// <see cref="SignInThrottleOptions.AddressWindow"/> (bounds how fast any one address guesses, at any username);</item>
/// <item>a username is locked out for <see cref="SignInThrottleOptions.Lockout"/> at an address that failed to sign in
/// as it <see cref="SignInThrottleOptions.MaxFailures"/> times in a row (a successful sign-in clears the count);</item>
/// <item>a username that failed <see cref="SignInThrottleOptions.MaxFailuresPerUser"/> times within
/// <see cref="SignInThrottleOptions.UserWindow"/>, from any addresses, takes attempts only from the addresses it has
/// signed in from before (bounds guessing distributed over many addresses, while its owner, at an address Cog has seen
/// them use, is not locked out by a stranger's failures).</item>
/// </list>
/// <para>Addresses are the connection's remote address: behind a proxy every caller shares the proxy's address and its
/// limit. In memory, per server; at most <see cref="SignInThrottleOptions.MaxTracked"/> entries of each kind are kept
/// beyond the ones whose window and lockout have passed. Thread-safe.</para>
/// </remarks>
public sealed class SignInThrottle(SignInThrottleOptions options, TimeProvider time)
{
    /// <summary>How many addresses a username's successful sign-ins are remembered from (the most recent ones).</summary>
    const int KnownAddressesPerUser = 16;

    readonly Lock _lock = new();
    readonly Dictionary<string, (DateTimeOffset Start, int Attempts)> _addresses = new(StringComparer.Ordinal);
    readonly Dictionary<(string Name, string Address), (int Failures, DateTimeOffset Until)> _pairs = [];
    readonly Dictionary<string, (DateTimeOffset Start, int Failures)> _users = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<string>> _knownAddresses = new(StringComparer.Ordinal);

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
            if (_pairs.TryGetValue((name, address), out var pair) && pair.Until > now)
                return (SignInFailure.LockedOut, pair.Until - now);
            if (_users.TryGetValue(name, out var user) && now - user.Start < options.UserWindow &&
                user.Failures >= options.MaxFailuresPerUser && !IsKnown(name, address))
                return (SignInFailure.Throttled, user.Start + options.UserWindow - now);
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
    /// pair's lockout, and every one counts toward the username's <see cref="SignInThrottleOptions.MaxFailuresPerUser"/>.</summary>
    public void Failed(string name, string address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var failures = (_pairs.TryGetValue((name, address), out var pair) ? pair.Failures : 0) + 1;
            if (!_pairs.ContainsKey((name, address)) && _pairs.Count >= options.MaxTracked)
                Forget(_pairs, p => p.Until <= now);
            _pairs[(name, address)] = failures >= options.MaxFailures ? (0, now + options.Lockout) : (failures, DateTimeOffset.MinValue);

            var user = _users.TryGetValue(name, out var current) && now - current.Start < options.UserWindow
                ? current
                : (Start: now, Failures: 0);
            if (!_users.ContainsKey(name) && _users.Count >= options.MaxTracked)
                Forget(_users, u => now - u.Start >= options.UserWindow);
            _users[name] = (user.Start, user.Failures + 1);
        }
    }

    /// <summary>Records a successful sign-in: the pair's failures are forgotten and the address is one the username is
    /// known to sign in from.</summary>
    public void Succeeded(string name, string address)
    {
        lock (_lock)
        {
            _pairs.Remove((name, address));
            if (!_knownAddresses.TryGetValue(name, out var known))
            {
                if (_knownAddresses.Count >= options.MaxTracked)
                    _knownAddresses.Clear(); // forgetting known addresses only makes the per-user limit stricter
                _knownAddresses[name] = known = [];
            }
            known.Remove(address);
            if (known.Count == KnownAddressesPerUser)
                known.RemoveAt(0);
            known.Add(address);
        }
    }

    bool IsKnown(string name, string address) => _knownAddresses.TryGetValue(name, out var known) && known.Contains(address);

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

    /// <summary>Too many attempts from that address, or too many failures for that username from addresses it has not
    /// signed in from: no password was checked.</summary>
    Throttled,
}
