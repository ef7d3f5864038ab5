using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>The one source-generated serializer context of the protocol: snake_case names (as Cog 1.0's wire formats),
/// nulls omitted, required constructor parameters and nullable annotations enforced, enums as names only.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    MaxDepth = ProtocolSerializer.MaxDepth)]
[JsonSerializable(typeof(RelayStatus))]
[JsonSerializable(typeof(BundleAnnouncement))]
[JsonSerializable(typeof(BundleAssignments))]
[JsonSerializable(typeof(InvocationRequest))]
[JsonSerializable(typeof(InvocationAck))]
[JsonSerializable(typeof(InvocationResult))]
[JsonSerializable(typeof(InvocationCancel))]
[JsonSerializable(typeof(InvocationReceipt))]
sealed partial class ProtocolJsonContext : JsonSerializerContext;
