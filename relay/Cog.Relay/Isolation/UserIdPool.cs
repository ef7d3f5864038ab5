namespace Cog.Relay.Isolation;

/// <summary>The user ids confined processes run under: a range from the settings, less every id the host's
/// <c>/etc/passwd</c> and <c>/etc/group</c> already use. Each live process holds one id of its own, so the per-user
/// process limit, <c>/proc</c> access rules and file ownership keep processes apart.</summary>
/// <remarks>Thread-safe. An id returns to the pool when its lease is disposed (after its process has exited); the
/// least recently returned id is handed out first, so an id is not reused while anything of its last process could
/// linger.</remarks>
sealed class UserIdPool
{
    readonly Lock _gate = new();
    readonly Queue<int> _free;

    /// <param name="first">The first id of the range.</param>
    /// <param name="count">How many ids the range has.</param>
    /// <param name="taken">Ids the host already uses: skipped.</param>
    public UserIdPool(int first, int count, IEnumerable<int> taken)
    {
        var skip = taken.ToHashSet();
        _free = new Queue<int>(Enumerable.Range(first, count).Where(id => !skip.Contains(id)));
        Size = _free.Count;
    }

    /// <summary>How many ids the pool has in all.</summary>
    public int Size { get; }

    /// <summary>Takes a free id until the lease is disposed; throws <see cref="InvalidOperationException"/> when every
    /// id is in use.</summary>
    public Lease Take()
    {
        lock (_gate)
        {
            if (!_free.TryDequeue(out var id))
            {
                throw new InvalidOperationException(
                    $"All {Size} user ids of the sandbox are in use: too many confined processes at once (raise Sandbox:UserIdCount).");
            }
            return new Lease(this, id);
        }
    }

    /// <summary>The ids <c>/etc/passwd</c> and <c>/etc/group</c> (or the given files) use, from their third field.</summary>
    public static HashSet<int> TakenIds(params string[] files)
    {
        var taken = new HashSet<int>();
        foreach (var file in files.Length > 0 ? files : ["/etc/passwd", "/etc/group"])
        {
            if (!File.Exists(file))
            {
                continue;
            }
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && int.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                {
                    taken.Add(id);
                }
            }
        }
        return taken;
    }

    void Return(int id)
    {
        lock (_gate)
        {
            _free.Enqueue(id);
        }
    }

    /// <summary>One id, held until disposed (disposing twice returns it once).</summary>
    public sealed class Lease(UserIdPool pool, int id) : IDisposable
    {
        int _returned;

        /// <summary>The user id (also the group id).</summary>
        public int Id { get; } = id;

        /// <inheritdoc/>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool.Return(Id);
            }
        }
    }
}
