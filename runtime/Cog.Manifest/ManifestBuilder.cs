using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Language.Options;

namespace Cog.Manifest;

/// <summary>Builds the model from a document that passed every check (so shapes are as the schema says).</summary>
static class ManifestBuilder
{
    public static BundleManifest Build(JsonObject root, int manifestVersion)
    {
        var name = Text(root, "name")!;
        var commands = ImmutableArray.CreateBuilder<CommandManifest>();
        if (root["commands"] is JsonObject definitions)
        {
            foreach (var (command, definition) in definitions)
            {
                commands.Add(BuildCommand(name, command, definition as JsonObject ?? []));
            }
        }
        return new BundleManifest(
            manifestVersion,
            name,
            Text(root, "description") ?? "",
            Text(root, "version") ?? "",
            Text(root, "long_description"),
            Text(root, "author"),
            Text(root, "homepage"),
            Strings(root["permissions"]),
            Templates(root["templates"]),
            commands.ToImmutable(),
            Config(root["config"]),
            manifestVersion < 6 ? Docker(root["docker"]) : null,
            Text(root, "assembly"));
    }

    static CommandManifest BuildCommand(string bundle, string name, JsonObject fields)
    {
        var (kind, target) = Text(fields, "script") is { } script ? (CommandKind.Script, script)
            : Text(fields, "type") is { } type ? (CommandKind.Type, type)
            : fields.ContainsKey("builtin") ? (CommandKind.BuiltIn, name)
            : (CommandKind.Executable, Text(fields, "executable") ?? "");
        var rules = ImmutableArray.CreateBuilder<string>();
        foreach (var rule in Strings(fields["rules"]))
        {
            rules.Add(RulePrefix.Apply(bundle, name, rule));
        }
        var options = ImmutableArray.CreateBuilder<OptionDefinition>();
        var optionDescriptions = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (fields["options"] is JsonObject optionDefinitions)
        {
            foreach (var (option, definition) in optionDefinitions)
            {
                if (definition is not JsonObject optionFields)
                {
                    continue;
                }
                options.Add(new OptionDefinition(
                    option,
                    ParseOptionType(Text(optionFields, "type")),
                    optionFields["required"] is JsonValue required && required.TryGetValue<bool>(out var isRequired) && isRequired,
                    ShortFlag(Text(optionFields, "short_flag"))));
                if (Text(optionFields, "description") is { } description)
                {
                    optionDescriptions[option] = description;
                }
            }
        }
        return new CommandManifest(
            name,
            kind,
            target,
            rules.ToImmutable(),
            Text(fields, "description"),
            Text(fields, "long_description"),
            Text(fields, "examples"),
            Text(fields, "notes"),
            Text(fields, "arguments"),
            fields["output"] is JsonObject output ? new CommandOutputDocs(Text(output, "description"), Text(output, "example")) : null,
            EnvironmentVariables(fields["env_vars"]),
            options.ToImmutable(),
            optionDescriptions.ToImmutable(),
            Durations.Parse(fields["timeout"]),
            StringMap(fields["subcommands"]));
    }

    static OptionType ParseOptionType(string? type) => type switch
    {
        "int" => OptionType.Int,
        "float" => OptionType.Float,
        "bool" => OptionType.Bool,
        "incr" => OptionType.Incr,
        "list" => OptionType.List,
        _ => OptionType.String,
    };

    /// <summary>Cog strips leading dashes from short flags (<c>-v</c> and <c>v</c> are the same flag).</summary>
    static string? ShortFlag(string? flag)
    {
        var trimmed = flag?.TrimStart('-');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    static ImmutableDictionary<string, string> Templates(JsonNode? node)
    {
        var templates = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is JsonObject definitions)
        {
            foreach (var (name, template) in definitions)
            {
                if (template is JsonObject fields && Text(fields, "body") is { } body)
                {
                    templates[name] = body;
                }
            }
        }
        return templates.ToImmutable();
    }

    static BundleConfigDocs? Config(JsonNode? node)
    {
        if (node is not JsonObject config)
        {
            return null;
        }
        var environment = ImmutableArray.CreateBuilder<EnvironmentVariableDoc>();
        if (config["env"] is JsonArray variables)
        {
            foreach (var variable in variables)
            {
                if (variable is JsonObject fields && Text(fields, "var") is { } name)
                {
                    environment.Add(new EnvironmentVariableDoc(name, Text(fields, "description")));
                }
            }
        }
        return new BundleConfigDocs(Text(config, "notes"), environment.ToImmutable());
    }

    static DockerImage? Docker(JsonNode? node) =>
        node is JsonObject docker && Text(docker, "image") is { } image
            ? new DockerImage(image, Text(docker, "tag") ?? "latest", Strings(docker["binds"]))
            : null;

    static ImmutableDictionary<string, string> EnvironmentVariables(JsonNode? node)
    {
        var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is JsonObject definitions)
        {
            foreach (var (name, value) in definitions)
            {
                if (value is JsonValue scalar)
                {
                    variables[name] = scalar.GetValueKind() switch
                    {
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.String => scalar.GetValue<string>(),
                        _ => scalar.TryGetValue<long>(out var integer)
                            ? integer.ToString(CultureInfo.InvariantCulture)
                            : scalar.ToJsonString(),
                    };
                }
            }
        }
        return variables.ToImmutable();
    }

    static ImmutableDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is JsonObject entries)
        {
            foreach (var (key, value) in entries)
            {
                if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
                {
                    map[key] = text;
                }
            }
        }
        return map.ToImmutable();
    }

    static ImmutableArray<string> Strings(JsonNode? node)
    {
        var strings = ImmutableArray.CreateBuilder<string>();
        if (node is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is JsonValue scalar && scalar.TryGetValue<string>(out var text))
                {
                    strings.Add(text);
                }
            }
        }
        return strings.ToImmutable();
    }

    static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
