using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cog.Relay.Execution;

/// <summary>Source-generated JSON for the pipeline store's lists.</summary>
[JsonSerializable(typeof(List<JsonElement>))]
sealed partial class PipelineStoreJson : JsonSerializerContext;
