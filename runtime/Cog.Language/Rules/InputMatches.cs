using System.Runtime.CompilerServices;

namespace Cog.Language.Rules;

/// <summary>The distinct inputs (argument positions, option names) that satisfied at least one comparison while a
/// rule's condition was evaluated; their number is the rule's dynamic score. Allocation-free for up to 64
/// argument positions and <see cref="InlineNames"/> option names.</summary>
struct InputMatches
{
    const int InlineNames = 8;

    ulong _arguments;
    List<int>? _farArguments;
    NameBuffer _names;
    int _nameCount;
    List<string>? _moreNames;

    /// <summary>How many distinct inputs were marked.</summary>
    public int Count { get; private set; }

    public void MarkArgument(int index)
    {
        if (index < 64)
        {
            var bit = 1UL << index;
            if ((_arguments & bit) == 0)
            {
                _arguments |= bit;
                Count++;
            }
            return;
        }
        _farArguments ??= [];
        if (!_farArguments.Contains(index))
        {
            _farArguments.Add(index);
            Count++;
        }
    }

    public void MarkOption(string name)
    {
        var inline = Math.Min(_nameCount, InlineNames);
        for (var i = 0; i < inline; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                return;
            }
        }
        if (_moreNames is not null && _moreNames.Contains(name))
        {
            return;
        }
        if (_nameCount < InlineNames)
        {
            _names[_nameCount] = name;
        }
        else
        {
            (_moreNames ??= []).Add(name);
        }
        _nameCount++;
        Count++;
    }

    [InlineArray(InlineNames)]
    struct NameBuffer
    {
        string? _first;
    }
}
