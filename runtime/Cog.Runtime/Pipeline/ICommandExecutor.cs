using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Language.Options;
using Cog.Language.Values;

namespace Cog.Runtime.Pipeline;

/// <summary>Runs one authorized invocation: a built-in command in the server, or a bundle command on a relay.</summary>
/// <remarks>Contract: never throws for a failure of the command or of its relay — those are <see cref="CommandOutcome"/>
/// errors with a message for the user (no relay, timeout, the command's own error). Cancellation (a pipeline kill or its
/// deadline) ends the call promptly with an error outcome. Thread-safe.</remarks>
public interface ICommandExecutor
{
    /// <summary>Runs <paramref name="call"/> to its end.</summary>
    Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken);
}

/// <summary>One invocation of a command on one input item.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="InvocationId">The stage's invocation id, shared by all items of the stage.</param>
/// <param name="Stage">The stage's index, from 0.</param>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Version">The bundle's enabled version.</param>
/// <param name="Command">The command's name without the bundle.</param>
/// <param name="Input">The bound, interpreted arguments and options.</param>
/// <param name="Item">The input item (an object).</param>
/// <param name="Step">Where the item stands among the stage's items.</param>
/// <param name="Caller">Who runs it.</param>
/// <param name="Room">Where it was started.</param>
/// <param name="Timeout">How long it may run.</param>
/// <param name="InvocationText">The bound invocation as messages and the audit log print it.</param>
public sealed record CommandCall(
    string PipelineId,
    string InvocationId,
    int Stage,
    string Bundle,
    string Version,
    string Command,
    CommandInput Input,
    Value Item,
    ItemStep Step,
    PipelineCaller Caller,
    PipelineRoom Room,
    TimeSpan Timeout,
    string InvocationText);

/// <summary>How one invocation ended.</summary>
/// <param name="Status">Ok, abort (the command stopped the pipeline) or error.</param>
/// <param name="Items">The output items (objects); empty unless ok.</param>
/// <param name="Template">The template the command asked for, if any.</param>
/// <param name="Message">The abort or error message for the user.</param>
/// <param name="RelayId">The relay that ran it; <see langword="null"/> for built-in commands and when no relay did.</param>
public sealed record CommandOutcome(ResultStatus Status, ImmutableArray<Value> Items, string? Template, string? Message, string? RelayId)
{
    /// <summary>A successful outcome.</summary>
    public static CommandOutcome Ok(ImmutableArray<Value> items, string? template = null, string? relayId = null) =>
        new(ResultStatus.Ok, items, template, null, relayId);

    /// <summary>A failure with a message for the user.</summary>
    public static CommandOutcome Error(string message, string? relayId = null) => new(ResultStatus.Error, [], null, message, relayId);

    /// <summary>The command stopped the pipeline.</summary>
    public static CommandOutcome Abort(string message, string? template = null, string? relayId = null) =>
        new(ResultStatus.Abort, [], template, message, relayId);
}
