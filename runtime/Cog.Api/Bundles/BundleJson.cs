using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Templates;

namespace Cog.Api.Bundles;

/// <summary>Bundles, versions, rules and configuration layers as the API shows them (docs/api.md; Cog 1.0's shapes).</summary>
static class BundleJson
{
    /// <summary><c>{"id","name","enabled_version","versions","relay_groups","inserted_at"}</c>, as Cog 1.0's BundlesView
    /// (operable/cog web/views/bundles_view.ex): <c>enabled_version</c> is the whole enabled version (<see cref="Version"/>:
    /// commands with their bundle and rules, permissions, templates) or <see langword="null"/>; <c>versions</c> are
    /// summaries.</summary>
    public static object Bundle(BundleDetails details, BundleVersionDetails? enabled, BundleTemplates? templates) => new
    {
        id = details.Bundle.Id,
        name = details.Bundle.Name,
        enabled_version = enabled is null ? null : Version(enabled, templates),
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

    /// <summary>A version with its commands, permissions, templates and manifest, as Cog 1.0's BundleVersionView
    /// (operable/cog web/views/bundle_version_view.ex): commands are <c>{"id","bundle","name","description",
    /// "documentation","rules"}</c> (CommandVersionView), permissions <c>{"id","name","bundle"}</c>; <c>templates</c>
    /// (ours) are <c>{"name","source"}</c> by name, empty when <paramref name="templates"/> is <see langword="null"/>.</summary>
    public static object Version(BundleVersionDetails details, BundleTemplates? templates)
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
                bundle = details.Bundle.Name,
                name = c.Name,
                description = c.Description,
                documentation = root.TryGetProperty("commands", out var commands) && commands.ValueKind == JsonValueKind.Object
                    && commands.TryGetProperty(c.Name, out var command) ? Text(command, "documentation") : null,
                rules = c.Rules.Select(r => Rule(r, details.Bundle.Name + ":" + c.Name)).ToList(),
            }).ToList(),
            permissions = details.Permissions.Select(static p => new { id = p.Id, name = p.Name, bundle = p.Namespace }).ToList(),
            templates = (templates?.Bodies ?? []).OrderBy(static t => t.Key, StringComparer.Ordinal)
                .Select(static t => new { name = t.Key, source = t.Value }).ToList(),
            config_file = root.Clone(),
            inserted_at = details.Version.InstalledAt,
        };
    }

    /// <summary>Cog 1.0's RuleView (operable/cog web/views/rule_view.ex): <c>{"id","command_name","rule"}</c>.</summary>
    public static object Rule(Runtime.Authorization.RuleRecord rule, string command) => new { id = rule.Id, command_name = command, rule = rule.Text };

    /// <summary><c>{"id","command_name","rule"}</c>.</summary>
    public static object Rule(RuleDetails rule) => Rule(rule.Rule, rule.Command);

    /// <summary><c>{"bundle_id","bundle_name","layer","name","config","updated_at"}</c>, as Cog 1.0's
    /// BundleDynamicConfigView (operable/cog web/views/bundle_dynamic_config_view.ex): the base layer is
    /// <c>{"layer": "base", "name": "config"}</c> (Cog 1.0 stored it under that name, and the original cogctl looks it up
    /// so).</summary>
    public static object Layer(ConfigLayerDetails layer)
    {
        using var config = JsonDocument.Parse(layer.Layer.ConfigJson);
        return new
        {
            bundle_id = layer.Layer.BundleId,
            bundle_name = layer.BundleName,
            layer = layer.Kind,
            name = layer.Kind == ConfigLayer.Base ? BaseLayerName : layer.Name,
            config = config.RootElement.Clone(),
            updated_at = layer.Layer.UpdatedAt,
        };
    }

    /// <summary>The name of the base layer on the wire.</summary>
    const string BaseLayerName = "config";

    static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
