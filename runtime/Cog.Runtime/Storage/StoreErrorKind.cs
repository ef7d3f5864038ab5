namespace Cog.Runtime.Storage;

/// <summary>Why a store operation was refused: an expected failure, reported as a value.</summary>
public enum StoreErrorKind
{
    /// <summary>The entity (or one it refers to) does not exist.</summary>
    NotFound,

    /// <summary>A name or key that must be unique is already taken.</summary>
    Duplicate,

    /// <summary>The entity is still used by another (restrict, never cascade).</summary>
    InUse,

    /// <summary>The entity is protected: the built-in bundle, the <c>cog-admin</c> group's last member.</summary>
    Protected,
}
