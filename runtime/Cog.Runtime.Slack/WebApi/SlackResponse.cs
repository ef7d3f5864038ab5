using System.Text.Json;
using Cog.Runtime.Chat;

namespace Cog.Runtime.Slack.WebApi;

/// <summary>A Web API answer: <c>ok</c>, the error code when not ok, and the whole JSON object.</summary>
sealed class SlackResponse(string method, JsonElement root)
{
    public string Method { get; } = method;

    public JsonElement Root { get; } = root;

    public bool Ok { get; } = root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;

    /// <summary>The <c>error</c> code of a refused call; <c>unknown_error</c> when Slack gave none.</summary>
    public string Error => Ok ? "" : Root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown_error";

    /// <summary>The answer when <c>ok</c>; otherwise a <see cref="ChatProviderException"/> naming the method and the code.</summary>
    public JsonElement EnsureOk() => Ok ? Root : throw new ChatProviderException(SlackErrors.Refused(Method, Error));

    /// <summary>A string property of the answer, or <see langword="null"/>.</summary>
    public string? GetString(string name) =>
        Root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
