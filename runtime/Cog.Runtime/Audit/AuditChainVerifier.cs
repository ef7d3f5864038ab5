namespace Cog.Runtime.Audit;

/// <summary>Checks records one at a time, in sequence order, against the key ring and the checkpoints, and gathers
/// findings (<see cref="AuditChain.Verify"/>). Not thread-safe: one per verification.</summary>
/// <remarks>
/// <para>Per record: its seal (keyless only before the chain is keyed; keyed records with their key; the key changes
/// only at a rotation record); its sequence number (gaps, order); its link to the record before; and the checkpoints of
/// its sequence. At the end: checkpoints beyond the last record (truncated, emptied).</para>
/// <para>A record whose seal does not match is <see cref="AuditBreakKind.Altered"/> when the next record, itself
/// validly sealed, links to its seal (or a checkpoint saw that seal): the seal is genuine and the content changed.
/// Otherwise it is <see cref="AuditBreakKind.Forged"/>. A genuine seal for another sequence number is
/// <see cref="AuditBreakKind.Renumbered"/>; other numbers are tried only around a broken link after a sound record,
/// up to <see cref="RenumberWindow"/> either way, which bounds the work a forged log can cause.</para>
/// <para>Consecutive records with the same finding are reported as one range.</para>
/// </remarks>
sealed class AuditChainVerifier
{
    /// <summary>How far from its place a moved or replayed record is recognised.</summary>
    public const int RenumberWindow = 256;

    readonly AuditKeyRing _keys;
    readonly List<AuditCheckpoint> _checkpoints = [];
    readonly Dictionary<AuditBreakKind, Run> _open = [];
    readonly List<AuditFinding> _findings = [];
    int _omitted;
    int _nextCheckpoint;

    long _checked;
    long _previousSequence;
    string _previousHash = AuditChain.Genesis;
    bool _previousSound = true;
    string? _chainKeyId;
    long _keyedAt;
    long _offset;
    AuditRecord? _unsealed;

    public AuditChainVerifier(AuditKeyRing keys, IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlyList<string> unreadableCheckpoints)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(checkpoints);
        _keys = keys;
        foreach (var source in unreadableCheckpoints)
            Report(AuditBreakKind.CheckpointInvalid, 0, source, (_, _) => AuditErrors.CheckpointUnreadable(source));
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.IsSignedBy(keys))
                _checkpoints.Add(checkpoint);
            else
                Report(AuditBreakKind.CheckpointInvalid, checkpoint.Sequence, checkpoint.Source, (f, _) => AuditErrors.CheckpointForged(f, checkpoint.Source));
        }
        _checkpoints.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
    }

    enum Seal { Sound, Unsealed, Renumbered, Reported }

    public void Next(AuditRecord record)
    {
        _checked++;
        if (record.Sequence <= _previousSequence)
        {
            var previous = _previousSequence;
            Report(AuditBreakKind.OutOfOrder, record.Sequence, "", (f, _) => AuditErrors.OutOfOrder(f, previous));
            return;
        }
        var linked = string.Equals(record.PreviousHash, _previousHash, StringComparison.Ordinal);
        var seal = CheckSeal(record, linked);

        if (_unsealed is { } unsealed)
        {
            ReportUnsealed(unsealed, vouched: seal == Seal.Sound && string.Equals(record.PreviousHash, unsealed.Hash, StringComparison.Ordinal));
            _unsealed = null;
        }
        if (seal == Seal.Unsealed)
            _unsealed = record;

        var gap = record.Sequence > _previousSequence + 1;
        if (gap)
        {
            var found = record.Sequence;
            Report(AuditBreakKind.Missing, _previousSequence + 1, "", (f, l) => AuditErrors.Missing(f, l, found), record.Sequence - 1);
        }
        else if (!linked && seal != Seal.Renumbered)
        {
            Report(AuditBreakKind.BrokenLink, record.Sequence, "", AuditErrors.BrokenLink);
        }

        for (; _nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint].Sequence <= record.Sequence; _nextCheckpoint++)
        {
            var checkpoint = _checkpoints[_nextCheckpoint];
            if (checkpoint.Sequence == record.Sequence && !string.Equals(checkpoint.Hash, record.Hash, StringComparison.Ordinal))
                Report(AuditBreakKind.CheckpointMismatch, record.Sequence, "", (f, _) => AuditErrors.CheckpointMismatch(f, checkpoint.Time));
        }

        _previousSequence = record.Sequence;
        _previousHash = record.Hash;
        _previousSound = seal is Seal.Sound or Seal.Renumbered;
    }

    Seal CheckSeal(AuditRecord record, bool linked)
    {
        if (record.KeyId is not { } keyId)
        {
            if (_chainKeyId is not null)
            {
                var keyedAt = _keyedAt;
                Report(AuditBreakKind.Forged, record.Sequence, "keyless", (f, l) => AuditErrors.ForgedKeyless(f, l, keyedAt));
                return Seal.Reported;
            }
            return string.Equals(record.Hash, AuditChain.ComputeKeylessHash(record), StringComparison.Ordinal) ? Seal.Sound : Seal.Unsealed;
        }
        if (_keys.Find(keyId) is not { } key)
        {
            Report(AuditBreakKind.UnknownKey, record.Sequence, keyId, (f, l) => AuditErrors.UnknownKey(f, l, keyId));
            return Seal.Reported;
        }
        if (Sealed(record, key, record.Sequence))
        {
            if (_chainKeyId is { } chainKeyId && !string.Equals(keyId, chainKeyId, StringComparison.Ordinal) &&
                !string.Equals(record.Kind, AuditChain.KeyRotatedKind, StringComparison.Ordinal))
            {
                Report(AuditBreakKind.Forged, record.Sequence, "key " + keyId, (f, l) => AuditErrors.ForgedKeySwitch(f, l, keyId, chainKeyId));
                return Seal.Reported;
            }
            if (_chainKeyId is null)
                _keyedAt = record.Sequence;
            _chainKeyId = keyId;
            return Seal.Sound;
        }
        if (FindOffset(record, key, linked) is { } offset)
        {
            _offset = offset;
            Report(AuditBreakKind.Renumbered, record.Sequence, offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (f, l) => AuditErrors.Renumbered(f, l, f + offset));
            return Seal.Renumbered;
        }
        return Seal.Unsealed;
    }

    long? FindOffset(AuditRecord record, AuditKey key, bool linked)
    {
        if (_offset != 0 && record.Sequence + _offset >= 1 && Sealed(record, key, record.Sequence + _offset))
            return _offset;
        if (linked || !_previousSound)
            return null;
        for (long distance = 1; distance <= RenumberWindow; distance++)
        {
            if (Sealed(record, key, record.Sequence + distance))
                return distance;
            if (record.Sequence - distance >= 1 && Sealed(record, key, record.Sequence - distance))
                return -distance;
        }
        return null;
    }

    static bool Sealed(AuditRecord record, AuditKey key, long sequence) =>
        string.Equals(record.Hash, AuditChain.ComputeSeal(record, key, sequence), StringComparison.Ordinal);

    void ReportUnsealed(AuditRecord record, bool vouched)
    {
        if (vouched)
            Report(AuditBreakKind.Altered, record.Sequence, "", AuditErrors.Altered);
        else
            Report(AuditBreakKind.Forged, record.Sequence, "", AuditErrors.Forged);
    }

    public AuditVerification Finish()
    {
        if (_unsealed is { } unsealed)
        {
            // The last record has no successor to vouch for its seal; a checkpoint that saw the same seal does.
            ReportUnsealed(unsealed, _checkpoints.Exists(c => c.Sequence == unsealed.Sequence && c.Hash == unsealed.Hash));
            _unsealed = null;
        }
        if (_checkpoints.Count > 0 && _checkpoints[^1] is var latest && latest.Sequence > _previousSequence)
        {
            if (_checked == 0)
                Report(AuditBreakKind.Emptied, 1, "", (_, l) => AuditErrors.Emptied(l, latest.Time), latest.Sequence);
            else
                Report(AuditBreakKind.Truncated, _previousSequence + 1, "", (f, l) => AuditErrors.Truncated(f, l, latest.Time), latest.Sequence);
        }
        foreach (var run in _open.Values.ToList())
            Close(run);
        _findings.Sort((a, b) => a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : Rank(a.Kind).CompareTo(Rank(b.Kind)));
        return new AuditVerification(_checked, _checkpoints.Count, _findings, _omitted);
    }

    // At one record, what is wrong with the record itself comes before what is wrong around it.
    static int Rank(AuditBreakKind kind) => kind switch
    {
        AuditBreakKind.Altered or AuditBreakKind.Forged or AuditBreakKind.Renumbered or AuditBreakKind.UnknownKey => 0,
        _ => 1,
    };

    sealed class Run(AuditBreakKind kind, long first, long last, string detail, Func<long, long, string> message)
    {
        public AuditBreakKind Kind { get; } = kind;
        public long First { get; } = first;
        public long Last { get; set; } = last;
        public string Detail { get; } = detail;
        public Func<long, long, string> Message { get; } = message;
    }

    void Report(AuditBreakKind kind, long first, string detail, Func<long, long, string> message, long? last = null)
    {
        var end = last ?? first;
        if (_open.TryGetValue(kind, out var run))
        {
            if (first == run.Last + 1 && string.Equals(detail, run.Detail, StringComparison.Ordinal))
            {
                run.Last = end;
                return;
            }
            Close(run);
        }
        _open[kind] = new Run(kind, first, end, detail, message);
    }

    void Close(Run run)
    {
        _open.Remove(run.Kind);
        if (_findings.Count < AuditVerification.MaxFindings)
            _findings.Add(new AuditFinding(run.Kind, run.First, run.Last, run.Message(run.First, run.Last)));
        else
            _omitted++;
    }
}
