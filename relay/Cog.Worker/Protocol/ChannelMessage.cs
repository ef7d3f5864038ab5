using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cog.Worker.Protocol;

/// <summary>
/// One message on the channel between the relay and a worker (stdin and stdout of the worker, framed by
/// <see cref="Frames"/>). The <c>type</c> property names the message; unknown types and missing required members are
/// malformed frames.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(ReadyMessage), "ready")]
[JsonDerivedType(typeof(LoadScriptMessage), "load-script")]
[JsonDerivedType(typeof(InvokeMessage), "invoke")]
[JsonDerivedType(typeof(CancelMessage), "cancel")]
[JsonDerivedType(typeof(ResultMessage), "result")]
[JsonDerivedType(typeof(LogMessage), "log")]
[JsonDerivedType(typeof(StoreRequestMessage), "store")]
[JsonDerivedType(typeof(StoreReplyMessage), "store-reply")]
abstract record ChannelMessage;

/// <summary>Relay → worker, first: the protocol version and the bundle version the worker serves.</summary>
/// <param name="Protocol">The relay's protocol version; the worker refuses any other.</param>
/// <param name="Bundle">The bundle's name (for messages).</param>
/// <param name="BundleDirectory">The bundle version's folder.</param>
/// <param name="Assembly">The plug-in assembly relative to the folder, or <see langword="null"/> when the bundle has none.</param>
sealed record HelloMessage(int Protocol, string Bundle, string BundleDirectory, string? Assembly) : ChannelMessage;

/// <summary>Worker → relay, the answer to <see cref="HelloMessage"/>: the worker takes invocations now.</summary>
sealed record ReadyMessage(int Protocol, int ProcessId) : ChannelMessage;

/// <summary>Relay → worker: a compiled script image (emitted by the relay's compiler), sent once per worker before the
/// first invocation that runs it; the worker keeps it loaded under <paramref name="Key"/>.</summary>
sealed record LoadScriptMessage(string Key, byte[] Image) : ChannelMessage;

/// <summary>Relay → worker: run one invocation.</summary>
/// <param name="Id">The invocation's id on this channel (unique per worker).</param>
/// <param name="Kind"><c>script</c> or <c>type</c>.</param>
/// <param name="Target">The script's path or the command type's name (for messages and type resolution).</param>
/// <param name="ScriptKey">The key of a loaded script image (scripts only).</param>
/// <param name="MaxOutputBytes">The most serialized output the invocation may produce.</param>
sealed record InvokeMessage(long Id, string Kind, string Target, string? ScriptKey, InvocationData Context, int MaxOutputBytes) : ChannelMessage
{
    /// <summary>The <see cref="Kind"/> of a C# script.</summary>
    public const string ScriptKind = "script";

    /// <summary>The <see cref="Kind"/> of a plug-in command type.</summary>
    public const string TypeKind = "type";
}

/// <summary>The SDK context data of one invocation (what <c>CommandContext</c> holds, but its store and log, which the
/// worker reaches through <see cref="StoreRequestMessage"/> and <see cref="LogMessage"/>).</summary>
sealed record InvocationData(
    string Bundle,
    string Command,
    string PipelineId,
    string InvocationId,
    string Step,
    JsonElement[] Args,
    Dictionary<string, JsonElement> Options,
    JsonElement Input,
    string Username,
    string ChatHandle,
    string? Email,
    string Room,
    bool DirectRoom,
    Dictionary<string, string> Configuration,
    string? TraceParent = null,
    string? TraceState = null);

/// <summary>Relay → worker: the invocation's time ran out or its pipeline was cancelled: fire its token.</summary>
sealed record CancelMessage(long Id) : ChannelMessage;

/// <summary>Worker → relay: how an invocation ended.</summary>
/// <param name="Status"><c>ok</c>, <c>abort</c> or <c>error</c>.</param>
/// <param name="Items">The output items (JSON objects), ok only.</param>
/// <param name="Recycle">True when the worker should be replaced once its other invocations end (the invocation ran
/// out of memory: the worker's heap may be in any state).</param>
sealed record ResultMessage(long Id, string Status, JsonElement[] Items, string? Template, string? Message, bool Recycle = false) : ChannelMessage
{
    public const string Ok = "ok";
    public const string Abort = "abort";
    public const string Error = "error";
}

/// <summary>Worker → relay: one line of the command's log (<c>debug</c>, <c>info</c>, <c>warn</c>, <c>error</c>).</summary>
sealed record LogMessage(long Id, string Level, string Text) : ChannelMessage;

/// <summary>Worker → relay: a pipeline-store operation of invocation <paramref name="Id"/>: <c>get</c>, <c>set</c>,
/// <c>append</c> or <c>remove</c> (the store lives in the relay); answered by a <see cref="StoreReplyMessage"/> with the
/// same <paramref name="RequestId"/>.</summary>
sealed record StoreRequestMessage(long RequestId, long Id, string Operation, string Key, JsonElement? Value) : ChannelMessage
{
    public const string Get = "get";
    public const string Set = "set";
    public const string Append = "append";
    public const string Remove = "remove";
}

/// <summary>Relay → worker: the answer to a <see cref="StoreRequestMessage"/>: the value (get, append, remove), or the
/// error the store raised.</summary>
sealed record StoreReplyMessage(long RequestId, JsonElement? Value, string? Error) : ChannelMessage;

/// <summary>The source-generated serializer of the channel's messages.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true, MaxDepth = 128)]
[JsonSerializable(typeof(ChannelMessage))]
sealed partial class ChannelJson : JsonSerializerContext;
