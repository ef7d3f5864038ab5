using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>One command run on one input item, as the pipeline engine knows it: what <see cref="RelayDispatcher"/>
/// needs to choose a relay and build the <see cref="InvocationRequest"/> (docs/protocol.md §6.4).</summary>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Version">The bundle's enabled version.</param>
/// <param name="Digest">The enabled version's package digest; only relays that announced this digest are chosen.</param>
/// <param name="Command">The command's name, without the bundle.</param>
/// <param name="Args">The positional arguments, typed.</param>
/// <param name="Options">The options by long name, typed.</param>
/// <param name="Input">The input item: a JSON object (<c>{}</c> for the first stage).</param>
/// <param name="Step">Where the item stands among the stage's items.</param>
/// <param name="Caller">Who ran the pipeline.</param>
/// <param name="Room">Where it was typed.</param>
/// <param name="Configuration">The bundle's merged dynamic configuration for this caller and room.</param>
/// <param name="InvocationId">The stage's invocation id.</param>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="Stage">The stage's index, from 0.</param>
/// <param name="Timeout">The command's time limit on the relay (at least 1 ms).</param>
public sealed record DispatchRequest(
    string Bundle,
    string Version,
    string Digest,
    string Command,
    ImmutableArray<JsonElement> Args,
    ImmutableSortedDictionary<string, JsonElement> Options,
    JsonElement Input,
    ItemStep Step,
    InvocationCaller Caller,
    InvocationRoom Room,
    ImmutableSortedDictionary<string, string> Configuration,
    string InvocationId,
    string PipelineId,
    int Stage,
    TimeSpan Timeout)
{
    /// <summary>Which relays may run it (relay groups, tag), or <see langword="null"/> for any relay that announced the
    /// bundle version.</summary>
    public RelayRestriction? Restriction { get; init; }

    /// <summary>The pipeline service endpoint offered to the command, or <see langword="null"/>.</summary>
    public PipelineServices? Services { get; init; }
}
