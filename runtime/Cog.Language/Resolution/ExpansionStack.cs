namespace Cog.Language.Resolution;

/// <summary>
/// The names being resolved inside each other, as piper's <c>ParseContext</c> keeps them: a list of
/// (name, count) entries in order of first push, whose counts add up to the depth.
/// </summary>
/// <remarks>
/// Every candidate name (alias or command) is pushed for the duration of its resolution, alias expansion
/// included. A push that would make the depth exceed the limit fails with one of the two messages; the
/// choice and the names follow the original exactly, see <see cref="Push"/>.
/// </remarks>
sealed class ExpansionStack
{
    readonly int _limit;
    readonly string[] _names;
    readonly int[] _counts;
    int _entries;
    int _depth;

    public ExpansionStack(int limit)
    {
        _limit = limit;
        // Every entry counts at least once, so there are never more entries than the limit.
        _names = new string[limit];
        _counts = new int[limit];
    }

    /// <summary>Whether the next push fails, whatever the name.</summary>
    public bool IsFull => _depth >= _limit;

    /// <summary>Pushes a name; returns the error message when that exceeds the limit (the stack is then unchanged).</summary>
    /// <remarks>
    /// A new name over the limit gives the limit message naming the outermost entry. A name already on the
    /// stack is judged on the stack before the push: if all entries occur equally often (a self-reference)
    /// it is the limit message; if the most and least frequent differ by one it is a loop between different
    /// aliases, named least frequent first (the first such entry from the outermost in both cases). A larger
    /// difference only arises when a self-referencing alias is nested in others; the original crashes there,
    /// and this gives the limit message.
    /// </remarks>
    public string? Push(string name)
    {
        var index = IndexOf(name);
        if (_depth + 1 > _limit)
        {
            return index < 0 ? LimitExceeded() : Analyze();
        }
        if (index < 0)
        {
            _names[_entries] = name;
            _counts[_entries] = 1;
            _entries++;
        }
        else
        {
            _counts[index]++;
        }
        _depth++;
        return null;
    }

    /// <summary>Pops a name pushed by <see cref="Push"/>.</summary>
    public void Pop(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            throw new InvalidOperationException($"'{name}' is not on the expansion stack.");
        }
        _depth--;
        if (--_counts[index] > 0)
        {
            return;
        }
        // Removing keeps the order of the others; a later push of the name appends it as the newest entry.
        _entries--;
        Array.Copy(_names, index + 1, _names, index, _entries - index);
        Array.Copy(_counts, index + 1, _counts, index, _entries - index);
        _names[_entries] = null!;
    }

    int IndexOf(string name)
    {
        for (var i = 0; i < _entries; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    string LimitExceeded() => ResolutionErrors.ExpansionLimitExceeded(_names[0], _limit);

    string Analyze()
    {
        int min = 0, max = 0;
        for (var i = 1; i < _entries; i++)
        {
            if (_counts[i] < _counts[min])
            {
                min = i;
            }
            if (_counts[i] > _counts[max])
            {
                max = i;
            }
        }
        return _counts[max] - _counts[min] == 1
            ? ResolutionErrors.ExpansionLoop(_names[min], _names[max])
            : LimitExceeded();
    }
}
