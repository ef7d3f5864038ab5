using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;

namespace Cog.Api.Bundles;

/// <summary>Bundles, versions, rules and configuration layers as the API shows them (docs/api.md; Cog 1.0's shapes).</summary>
static class BundleJson
{
    /// <summary><c>{"id","name","enabled_version","versions","relay_groups","inserted_at"}</c>; versions are summaries
    /// (without commands and manifest: <c>GET …/versions/:id</c> has those).</summary>
    public static object Bundle(BundleDetails details) => new
    {
        id = details.Bundle.Id,
        name = details.Bundle.Name,
        enabled_version = details.EnabledVersion is { } enabled ? VersionSummary(enabled, details.Bundle.Name) : null,
        versions = details.Versions.Select(v => VersionSummary(v, details.Bundle.Name)).ToList(),
        relay_groups = details.RelayGroups.Select(static g => new { id = g.Id, name = g.Name }).ToList(),
        inserted_at = details.Bundle.InstalledAt,
    };

    /// <summary>A version without its commands and manifest.</summary>
    public static object VersionSummary(BundleVersion version, string bundleName) => new
    {
        id = version.Id,
        bundle_id = version.BundleId,
        name = bundleName,
        version = version.Version,
        description = version.Description,
        enabled = version.Enabled,
        inserted_at = version.InstalledAt,
    };

    /// <summary>A version with its commands (and their applicable rules), permissions and manifest.</summary>
    public static object Version(BundleVersionDetails details)
    {
        using var manifest = JsonDocument.Parse(details.Version.ManifestJson);
        var root = manifest.RootElement;
        return new
        {
            id = details.Version.Id,
            bundle_id = details.Version.BundleId,
            name = details.Bundle.Name,
            version = details.Version.Version,
            description = details.Version.Description,
            long_description = Text(root, "long_description"),
            author = Text(root, "author"),
            homepage = Text(root, "homepage"),
            enabled = details.Version.Enabled,
            warnings = details.Version.Warnings,
            commands = details.Commands.Select(c => new
            {
                id = c.Id,
                name = c.Name,
                description = c.Description,
                documentation = root.TryGetProperty("commands", out var commands) && commands.ValueKind == JsonValueKind.Object
                    && commands.TryGetProperty(c.Name, out var command) ? Text(command, "documentation") : null,
                rules = c.Rules.Select(r => Rule(r, details.Bundle.Name + ":" + c.Name)).ToList(),
            }).ToList(),
            permissions = details.Permissions.Select(static p => new { id = p.Id, name = p.Name, bundle = p.Namespace }).ToList(),
            config_file = root.Clone(),
            inserted_at = details.Version.InstalledAt,
        };
    }

    /// <summary><c>{"id","rule","command"}</c>.</summary>
    public static object Rule(Runtime.Authorization.RuleRecord rule, string command) => new { id = rule.Id, rule = rule.Text, command };

    /// <summary><c>{"id","rule","command"}</c>.</summary>
    public static object Rule(RuleDetails rule) => Rule(rule.Rule, rule.Command);

    /// <summary><c>{"bundle_name","layer","name","config","updated_at"}</c>.</summary>
    public static object Layer(ConfigLayerDetails layer)
    {
        using var config = JsonDocument.Parse(layer.Layer.ConfigJson);
        return new
        {
            bundle_id = layer.Layer.BundleId,
            bundle_name = layer.BundleName,
            layer = layer.Kind,
            name = layer.Name,
            config = config.RootElement.Clone(),
            updated_at = layer.Layer.UpdatedAt,
        };
    }

    static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
