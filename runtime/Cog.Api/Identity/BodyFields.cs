using System.Text.Json;
using Cog.Runtime.Administration;

namespace Cog.Api.Identity;

/// <summary>Reads the members of a request's envelope object, collecting type errors as field errors (Ecto's "is
/// invalid") instead of throwing.</summary>
sealed class BodyFields(JsonElement envelope)
{
    readonly Dictionary<string, IReadOnlyList<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Whether the envelope is a JSON object (anything else has no fields).</summary>
    public bool IsObject => envelope.ValueKind == JsonValueKind.Object;

    /// <summary>Field errors found so far.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors => _errors;

    /// <summary>An optional string member: <see langword="null"/> when absent or JSON null.</summary>
    public string? String(string name)
    {
        if (!IsObject || !envelope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        _errors[name] = [IdentityMessages.InvalidValue];
        return null;
    }

    /// <summary>The field errors as an administrative error, or <see langword="null"/> when there are none.</summary>
    public AdminError? Error => _errors.Count == 0 ? null : AdminError.Invalid(_errors);
}
