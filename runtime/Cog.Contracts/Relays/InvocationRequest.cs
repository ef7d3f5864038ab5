using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>One run of one command on one input item. Published by the server (not retained) on the chosen relay's
/// <see cref="RelayTopic.Invocations"/>; the relay answers with an <see cref="InvocationAck"/> when it starts and an
/// <see cref="InvocationResult"/> when it ends, both carrying <paramref name="RequestId"/>.</summary>
/// <param name="RequestId">Unique for every request message (a retry on another relay gets a new one); correlates the
/// ack and the result.</param>
/// <param name="InvocationId">The stage's invocation id, the same for every item of the stage (<c>COG_INVOCATION_ID</c>).</param>
/// <param name="PipelineId">The pipeline's id (<c>COG_PIPELINE_ID</c>).</param>
/// <param name="Stage">The stage's index in the pipeline, from 0.</param>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Version">The bundle version to run, one the relay announced.</param>
/// <param name="Command">The command's name, without the bundle.</param>
/// <param name="Args">The positional arguments, typed (strings, numbers, booleans, lists, objects).</param>
/// <param name="Options">The options by long name, typed.</param>
/// <param name="Input">The input item: a JSON object (<c>{}</c> for the first stage).</param>
/// <param name="Step">Where the item stands among the stage's items.</param>
/// <param name="Caller">Who ran the pipeline.</param>
/// <param name="Room">Where the pipeline was typed.</param>
/// <param name="Configuration">The bundle's dynamic configuration for this caller and room, already merged (base, then
/// room, then user layer); never holds keys starting with <c>COG_</c> or <c>RELAY_</c>.</param>
/// <param name="AckBy">The latest time the relay may start the invocation; a relay that would start later drops the
/// request without running it (the server has tried another relay by then).</param>
/// <param name="Deadline">The time by which the server expects the result; after it the result is ignored.</param>
/// <param name="TimeoutMs">The command's time limit in milliseconds, counted from the start on the relay.</param>
/// <param name="Services">The pipeline service endpoint (<c>COG_SERVICES_ROOT</c>, <c>COG_SERVICE_TOKEN</c>), or
/// <see langword="null"/> when none is offered.</param>
public sealed record InvocationRequest(
    string RequestId,
    string InvocationId,
    string PipelineId,
    int Stage,
    string Bundle,
    string Version,
    string Command,
    ImmutableArray<JsonElement> Args,
    ImmutableSortedDictionary<string, JsonElement> Options,
    JsonElement Input,
    ItemStep Step,
    InvocationCaller Caller,
    InvocationRoom Room,
    ImmutableSortedDictionary<string, string> Configuration,
    DateTimeOffset AckBy,
    DateTimeOffset Deadline,
    long TimeoutMs,
    PipelineServices? Services = null) : ProtocolMessage(MessageTypes.Invocation);

/// <summary>The person who ran the pipeline.</summary>
/// <param name="Username">Their Cog username (<c>COG_USERNAME</c>).</param>
/// <param name="ChatHandle">Their handle on the chat provider (<c>COG_CHAT_HANDLE</c>; for triggers, the username).</param>
/// <param name="Email">Their email address (<c>COG_EMAIL</c>), or <see langword="null"/>.</param>
public sealed record InvocationCaller(string Username, string ChatHandle, string? Email = null);

/// <summary>The room a pipeline was typed in.</summary>
/// <param name="Name">The room name without <c>#</c> (<c>COG_ROOM</c>); <c>direct</c> for direct messages and triggers.</param>
/// <param name="IsDirect">Whether it is a direct message or a non-chat origin such as a trigger.</param>
public sealed record InvocationRoom(string Name, bool IsDirect);

/// <summary>Where a pipeline's services are reached, and the token to present.</summary>
/// <param name="Root">The base URL (<c>COG_SERVICES_ROOT</c>).</param>
/// <param name="Token">The pipeline's service token (<c>COG_SERVICE_TOKEN</c>), sent as <c>Authorization: pipeline TOKEN</c>.</param>
public sealed record PipelineServices(Uri Root, string Token);

/// <summary>Where an item stands among the items of its stage (<c>COG_INVOCATION_STEP</c>). With one item the step is
/// <see cref="Last"/>.</summary>
[JsonConverter(typeof(StrictEnumConverter<ItemStep>))]
public enum ItemStep
{
    /// <summary>The first of several items (<c>first</c>).</summary>
    [JsonStringEnumMemberName("first")]
    First,

    /// <summary>Neither the first nor the last (<c>middle</c>).</summary>
    [JsonStringEnumMemberName("middle")]
    Middle,

    /// <summary>The last item, or the only one (<c>last</c>).</summary>
    [JsonStringEnumMemberName("last")]
    Last,
}
