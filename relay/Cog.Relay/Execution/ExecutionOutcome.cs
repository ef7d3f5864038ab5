using System.Collections.Immutable;
using System.Text.Json;
using Cog.Sdk;

namespace Cog.Relay.Execution;

/// <summary>How one invocation ended, in the shape the relay reports back to Cog.</summary>
/// <param name="Status">Ok, abort or error.</param>
/// <param name="Items">The output items; each is a JSON object. Empty unless <see cref="Status"/> is ok.</param>
/// <param name="Template">The template the command asked for, or <see langword="null"/>.</param>
/// <param name="Message">The abort or error message, or <see langword="null"/> for ok.</param>
sealed record ExecutionOutcome(CommandStatus Status, ImmutableArray<JsonElement> Items, string? Template, string? Message)
{
    /// <summary>A successful outcome.</summary>
    public static ExecutionOutcome Ok(ImmutableArray<JsonElement> items, string? template = null) => new(CommandStatus.Ok, items, template, null);

    /// <summary>A failed outcome with a message for the user.</summary>
    public static ExecutionOutcome Error(string message) => new(CommandStatus.Error, [], null, message);

    /// <summary>An aborted pipeline.</summary>
    public static ExecutionOutcome Abort(string message, string? template = null) => new(CommandStatus.Abort, [], template, message);
}
