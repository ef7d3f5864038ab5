using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>How an invocation ended. Published by the relay (not retained) on <see cref="RelayTopic.Results"/>.</summary>
/// <param name="RequestId">The <see cref="InvocationRequest.RequestId"/> this answers.</param>
/// <param name="RelayId">The relay's id.</param>
/// <param name="Status">Ok, abort or error.</param>
/// <param name="Items">The output items, each a JSON object; empty unless the status is ok (and may be empty then).</param>
/// <param name="DurationMs">How long the command ran, in milliseconds.</param>
/// <param name="Template">The template the command asked for, or <see langword="null"/>.</param>
/// <param name="Message">The abort or error message for the user, or <see langword="null"/> when the status is ok.</param>
public sealed record InvocationResult(
    string RequestId,
    string RelayId,
    ResultStatus Status,
    ImmutableArray<JsonElement> Items,
    long DurationMs,
    string? Template = null,
    string? Message = null) : ProtocolMessage(MessageTypes.Result);

/// <summary>How an invocation ended.</summary>
[JsonConverter(typeof(StrictEnumConverter<ResultStatus>))]
public enum ResultStatus
{
    /// <summary>The command succeeded; its items go to the next stage (<c>ok</c>).</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>The command asked to stop the pipeline (<c>abort</c>).</summary>
    [JsonStringEnumMemberName("abort")]
    Abort,

    /// <summary>The command failed (<c>error</c>).</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
