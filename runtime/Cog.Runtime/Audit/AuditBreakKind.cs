namespace Cog.Runtime.Audit;

/// <summary>What kind of tampering an <see cref="AuditFinding"/> reports. The API names are in parentheses.</summary>
public enum AuditBreakKind
{
    /// <summary>The chain is intact (<c>none</c>).</summary>
    None,

    /// <summary>Sequence numbers are missing: records were deleted (<c>deleted</c>).</summary>
    Missing,

    /// <summary>Sequence numbers are not increasing (<c>reordered</c>).</summary>
    OutOfOrder,

    /// <summary>The record does not link to the one before it: a record before it was deleted, inserted or replaced
    /// (<c>relinked</c>).</summary>
    BrokenLink,

    /// <summary>The record's content does not match its seal, and the next record vouches for the seal: the content was
    /// changed after sealing (<c>altered</c>).</summary>
    Altered,

    /// <summary>The record's seal was not made with the key it names (or names none after the chain was keyed, or names
    /// a retired key): it was written or re-sealed without the key (<c>forged</c>).</summary>
    Forged,

    /// <summary>The record is genuine but was sealed under another sequence number: moved, renumbered or replayed
    /// (<c>renumbered</c>).</summary>
    Renumbered,

    /// <summary>The record names a key that is not among the configured keys: it cannot be checked (<c>unknown_key</c>).</summary>
    UnknownKey,

    /// <summary>The log ends before a record a checkpoint saw: its tail was removed (<c>truncated</c>).</summary>
    Truncated,

    /// <summary>The log is empty although a checkpoint saw records (<c>emptied</c>).</summary>
    Emptied,

    /// <summary>The record at a checkpoint's sequence is not the one the checkpoint saw: it was replaced
    /// (<c>checkpoint_mismatch</c>).</summary>
    CheckpointMismatch,

    /// <summary>A checkpoint's signature does not verify, or a checkpoint file line is not a checkpoint: the checkpoint
    /// file was tampered with (<c>checkpoint_invalid</c>).</summary>
    CheckpointInvalid,
}
