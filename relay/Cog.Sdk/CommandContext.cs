using System.Text.Json;

namespace Cog.Sdk;

/// <summary>Everything a command knows about one invocation: what it was asked, by whom, where, and the services it may use.</summary>
/// <remarks>
/// Built by the relay for each invocation (and by tests, through the same initializers). Immutable; the services it
/// hands out are thread-safe. New members are only ever added, with defaults, so bundles built against an older SDK
/// keep working.
/// </remarks>
public sealed class CommandContext
{
    /// <summary>The bundle's name.</summary>
    public required string Bundle { get; init; }

    /// <summary>The command's name, without the bundle.</summary>
    public required string Command { get; init; }

    /// <summary>The pipeline's id: the same for every invocation of one pipeline.</summary>
    public required string PipelineId { get; init; }

    /// <summary>The id of this stage's invocation: the same for every item of the stage.</summary>
    public required string InvocationId { get; init; }

    /// <summary>Where this item stands among the stage's items.</summary>
    public InvocationStep Step { get; init; } = InvocationStep.Last;

    /// <summary>The positional arguments.</summary>
    public CommandArguments Arguments { get; init; } = CommandArguments.Empty;

    /// <summary>The options, by long name.</summary>
    public CommandOptions Options { get; init; } = CommandOptions.Empty;

    /// <summary>The input item: the JSON object the previous stage produced (<c>{}</c> for the first stage).</summary>
    public JsonElement Input { get; init; } = EmptyObject;

    /// <summary>Who ran the pipeline.</summary>
    public required CommandUser User { get; init; }

    /// <summary>Where the pipeline was typed.</summary>
    public required CommandRoom Room { get; init; }

    /// <summary>The bundle's configuration for this user and room: the base layer, then the room layer, then the user
    /// layer, later keys winning (Cog 1.0's dynamic configuration). Keys starting with <c>COG_</c> or <c>RELAY_</c> are never present.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>The pipeline-scoped key-value store.</summary>
    public required IPipelineStore Store { get; init; }

    /// <summary>The relay's log, tagged with this invocation.</summary>
    public required ICommandLog Log { get; init; }

    /// <summary>The W3C <c>traceparent</c> of this invocation's span (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>), or
    /// null when the pipeline is not traced. A command that calls other services passes it on (an HTTP
    /// <c>traceparent</c> header, or <c>ActivityContext.TryParse</c> to parent its own spans), so their work joins the
    /// pipeline's trace; executables receive the same value in <c>TRACEPARENT</c>.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>, or null (<c>TRACESTATE</c> for
    /// executables).</summary>
    public string? TraceState { get; init; }

    static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
