using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.BuiltIns;

/// <summary>What the administrative commands share: their arguments as text, the caller as the acting user, and the
/// services' results turned into outcomes (a refusal is a command error with the service's message).</summary>
static class AdminReplies
{
    /// <summary>The caller, acting through chat (the audit records' actor and origin <c>chat</c>).</summary>
    public static AdminActor Actor(CommandCall call) => AdminActor.Chat(call.Caller.Username);

    /// <summary>Argument <paramref name="index"/> as text.</summary>
    public static string Arg(CommandCall call, int index) => call.Input.Arguments[index].ToDisplayString();

    /// <summary>The arguments from <paramref name="start"/> on, as text.</summary>
    public static string[] Args(CommandCall call, int start)
    {
        var arguments = call.Input.Arguments;
        var texts = new string[Math.Max(0, arguments.Length - start)];
        for (var i = start; i < arguments.Length; i++)
            texts[i - start] = arguments[i].ToDisplayString();
        return texts;
    }

    /// <summary>The arguments from <paramref name="start"/> on, as a list of texts.</summary>
    public static ListValue Names(CommandCall call, int start) => new([.. Args(call, start).Select(static a => (Value)new StringValue(a))]);

    /// <summary>The item with one more member, naming what a change did (<c>members_added</c>, <c>old_name</c>...), so that
    /// the command's template can say it in a sentence as Cog 1.0's did.</summary>
    public static ObjectValue With(ObjectValue item, string key, Value value) => new([.. item.Members, new(key, value)]);

    /// <summary>One item, rendered by the command's template.</summary>
    public static CommandOutcome One(CommandCall call, Value item) => Output.Ok(item, call.Command);

    /// <summary>One item per entity, rendered by the command's template.</summary>
    public static CommandOutcome Many<T>(CommandCall call, IEnumerable<T> entities, Func<T, Value> map)
    {
        var items = ImmutableArray.CreateBuilder<Value>();
        foreach (var entity in entities)
            items.Add(map(entity));
        return CommandOutcome.Ok(items.ToImmutable(), call.Command);
    }

    /// <summary>The value as one item, or the refusal.</summary>
    public static CommandOutcome Reply<T>(CommandCall call, AdminResult<T> result, Func<T, Value> map) =>
        result.IsSuccess ? One(call, map(result.Value!)) : CommandOutcome.Error(result.Error.Message);

    /// <summary>The value as one item, or the refusal.</summary>
    public static CommandOutcome Reply<T>(CommandCall call, RegistryResult<T> result, Func<T, Value> map) =>
        result.IsSuccess ? One(call, map(result.Value!)) : CommandOutcome.Error(Message(result.Error));

    /// <summary>The trigger as one item, or the refusal (field errors as <c>field: message</c>, as the identity
    /// services word them).</summary>
    public static CommandOutcome Reply(CommandCall call, TriggerResult result, Uri? urlBase) =>
        result.IsSuccess ? One(call, AdminJson.Trigger(result.Trigger, urlBase)) : CommandOutcome.Error(Message(result));

    /// <summary>A registry refusal's message; for a refused field, prefixed with its name (<c>name can't be blank</c>).</summary>
    public static string Message(RegistryError error) => error.Field is { } field
        ? IdentityMessages.InvalidFields(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [field] = [error.Message] })
        : error.Message;

    /// <summary>A trigger refusal's message.</summary>
    public static string Message(TriggerResult result)
    {
        if (result.FieldErrors is null)
            return result.Message ?? "";
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (field, messages) in result.FieldErrors)
            fields[field] = messages;
        return IdentityMessages.InvalidFields(fields);
    }
}
