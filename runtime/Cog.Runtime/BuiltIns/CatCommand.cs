using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>cat &lt;name&gt; [--append] [--merge] [--insert=KEY]</c>: what <c>tee</c> saved under the name. <c>--append</c>: the
/// saved items followed by the input item; <c>--merge</c>: the input object with the saved object's members (saved
/// values win); <c>--insert=KEY</c>: the input object with the saved data under KEY. Runs once per input item.
/// </summary>
sealed class CatCommand(INamedDataStore data) : IBuiltInCommand
{
    public string Name => "cat";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var append = Output.Flag(call, "append");
        var merge = Output.Flag(call, "merge");
        if (append && merge)
        {
            return CommandOutcome.Error(BuiltInMessages.CatAppendAndMerge);
        }
        switch (call.Input.Arguments.Length)
        {
            case 0:
                return CommandOutcome.Error(BuiltInMessages.CatNeedsName);
            case > 1:
                return CommandOutcome.Error(BuiltInMessages.TooManyArgs(1));
        }
        var name = call.Input.Arguments[0].ToDisplayString();
        if (await data.LoadAsync(name, cancellationToken).ConfigureAwait(false) is not { } saved)
        {
            return CommandOutcome.Error(BuiltInMessages.CatNotFound(name));
        }
        if (Output.Text(call, "insert") is { } key)
        {
            return Unwrap(call.Item) is ObjectValue input && Unwrap(saved) is ObjectValue inserted
                ? Output.Ok(With(input, [new(key, inserted)]))
                : CommandOutcome.Error(BuiltInMessages.CatMapsOnly("insert"));
        }
        if (append)
        {
            return CommandOutcome.Ok([.. Wrap(saved), .. Wrap(call.Item)]);
        }
        if (merge)
        {
            return Unwrap(call.Item) is ObjectValue input && Unwrap(saved) is ObjectValue members
                ? Output.Ok(With(input, members.Members))
                : CommandOutcome.Error(BuiltInMessages.CatMapsOnly("merge"));
        }
        return Output.Items(saved);
    }

    static Value Unwrap(Value value) => value is ListValue { Items: [var only] } ? only : value;

    static ImmutableArray<Value> Wrap(Value value) => value is ListValue list ? list.Items : [value];

    /// <summary>The object with the members set: existing keys keep their place, new keys go at the end.</summary>
    static ObjectValue With(ObjectValue target, IEnumerable<KeyValuePair<string, Value>> members)
    {
        var result = target.Members.ToList();
        foreach (var member in members)
        {
            var index = result.FindIndex(m => m.Key == member.Key);
            if (index >= 0)
            {
                result[index] = member;
            }
            else
            {
                result.Add(member);
            }
        }
        return new ObjectValue([.. result]);
    }
}
