using Cog.Runtime.Audit;

namespace Cog.Testing;

/// <summary>The audit key tests seal with: a fixed key (its bytes are 1, 2, … 32), so a failing test's records can be
/// checked again by hand.</summary>
public static class TestAuditKeys
{
    /// <summary>The key.</summary>
    public static AuditKey Default { get; } = AuditKey.FromBytes([.. Enumerable.Range(1, AuditKey.Size).Select(i => (byte)i)]);

    /// <summary>A ring of <see cref="Default"/> alone.</summary>
    public static AuditKeyRing Ring { get; } = new(Default);
}
