using System.Collections.Immutable;
using Cog.Language.Values;

namespace Cog.Language.Options;

/// <summary>What a command receives after binding and option interpretation: positional arguments and options.</summary>
/// <param name="Arguments">Positional arguments in order, as bound values.</param>
/// <param name="Options">Option values by long name (the name declared in the manifest).</param>
/// <remarks>This is also the input of rule evaluation (<c>arg[N]</c>, <c>option[name]</c>).</remarks>
public sealed record CommandInput(ImmutableArray<Value> Arguments, ImmutableDictionary<string, Value> Options)
{
    /// <summary>No arguments and no options.</summary>
    public static CommandInput Empty { get; } = new([], ImmutableDictionary<string, Value>.Empty);
}
