namespace Cog.Runtime.Audit;

/// <summary>The audit keys a server knows: the <see cref="Current"/> one, which seals new records and signs
/// checkpoints, and previous ones kept after a rotation so that what they sealed still verifies.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AuditKeyRing
{
    readonly Dictionary<string, AuditKey> _keys = new(StringComparer.Ordinal);

    /// <summary>A ring of <paramref name="current"/> and <paramref name="previous"/> keys (a key listed twice counts once).</summary>
    public AuditKeyRing(AuditKey current, IEnumerable<AuditKey>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        _keys[current.Id] = current;
        foreach (var key in previous ?? [])
            _keys.TryAdd(key.Id, key);
    }

    /// <summary>The key that seals new records.</summary>
    public AuditKey Current { get; }

    /// <summary>The key with fingerprint <paramref name="id"/>, or <see langword="null"/> when it is not in the ring.</summary>
    public AuditKey? Find(string id) => _keys.GetValueOrDefault(id);
}
