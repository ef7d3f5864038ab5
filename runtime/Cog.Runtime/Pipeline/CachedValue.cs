namespace Cog.Runtime.Pipeline;

/// <summary>A value loaded on first use and kept until <see cref="Invalidate"/>; one load at a time.</summary>
/// <remarks>Thread-safe. A load that overlaps an invalidation is returned to its caller but not kept, so a change
/// signalled after a load started is never hidden by that load.</remarks>
sealed class CachedValue<T>(Func<CancellationToken, Task<T>> load)
    where T : class
{
    readonly SemaphoreSlim _gate = new(1, 1);
    T? _value;
    long _generation;

    /// <summary>The cached value (no allocation, no store call), or a fresh load.</summary>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        var value = Volatile.Read(ref _value);
        return value is not null ? ValueTask.FromResult(value) : LoadAsync(cancellationToken);
    }

    /// <summary>Drops the value; the next <see cref="GetAsync"/> loads again.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _value, null);
    }

    async ValueTask<T> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var value = Volatile.Read(ref _value);
            if (value is not null)
                return value;
            var generation = Interlocked.Read(ref _generation);
            value = await load(cancellationToken).ConfigureAwait(false);
            if (Interlocked.Read(ref _generation) == generation)
            {
                Volatile.Write(ref _value, value);
                // An invalidation between the check and the write must still win.
                if (Interlocked.Read(ref _generation) != generation)
                    Interlocked.CompareExchange(ref _value, null, value);
            }
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
