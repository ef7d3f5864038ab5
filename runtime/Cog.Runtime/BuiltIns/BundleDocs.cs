using System.Collections.Immutable;
using System.Text.Json;
using Cog.Language.Options;
using Cog.Manifest;

namespace Cog.Runtime.BuiltIns;

/// <summary>A bundle's documentation, from the manifest of its enabled version (or, when disabled, its highest one).</summary>
/// <param name="Name">The bundle name.</param>
/// <param name="Version">The version the documentation comes from.</param>
/// <param name="IsEnabled">Whether that version is enabled.</param>
/// <param name="Description">One line.</param>
/// <param name="LongDescription">Help text.</param>
/// <param name="Author">The author.</param>
/// <param name="Homepage">The homepage.</param>
/// <param name="Commands">The commands, in manifest order.</param>
/// <param name="Config">What the manifest's <c>config</c> says about configuring the bundle (notes, environment
/// variables), if anything.</param>
public sealed record BundleDocs(
    string Name,
    string Version,
    bool IsEnabled,
    string? Description,
    string? LongDescription,
    string? Author,
    string? Homepage,
    ImmutableArray<CommandDocs> Commands,
    BundleConfigDocs? Config = null)
{
    /// <summary>Finds a command by name.</summary>
    public CommandDocs? FindCommand(string name)
    {
        foreach (var command in Commands)
        {
            if (command.Name == name)
            {
                return command;
            }
        }
        return null;
    }

    /// <summary>Reads the documentation out of a manifest stored as JSON (a manifest that passed validation).</summary>
    /// <returns>The documentation, or <see langword="null"/> when the text is not a JSON object with a <c>name</c>.</returns>
    public static BundleDocs? FromManifestJson(string manifestJson, bool isEnabled)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        try
        {
            using var document = JsonDocument.Parse(manifestJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "name") is not { } name)
            {
                return null;
            }
            var commands = ImmutableArray.CreateBuilder<CommandDocs>();
            if (root.TryGetProperty("commands", out var definitions) && definitions.ValueKind == JsonValueKind.Object)
            {
                foreach (var command in definitions.EnumerateObject())
                {
                    commands.Add(Command(command.Name, command.Value));
                }
            }
            return new BundleDocs(name, Text(root, "version") ?? "", isEnabled, Text(root, "description"), Text(root, "long_description"),
                Text(root, "author"), Text(root, "homepage"), commands.ToImmutable(),
                root.TryGetProperty("config", out var config) ? ConfigDocs(config) : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The manifest's <c>config</c>: <c>{"notes": text, "env": [{"var", "description"}]}</c>.</summary>
    static BundleConfigDocs? ConfigDocs(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
            return null;
        var environment = ImmutableArray.CreateBuilder<EnvironmentVariableDoc>();
        if (config.TryGetProperty("env", out var variables) && variables.ValueKind == JsonValueKind.Array)
        {
            foreach (var variable in variables.EnumerateArray())
            {
                if (variable.ValueKind == JsonValueKind.Object && Text(variable, "var") is { } name)
                    environment.Add(new EnvironmentVariableDoc(name, Text(variable, "description")));
            }
        }
        return new BundleConfigDocs(Text(config, "notes"), environment.ToImmutable());
    }

    static CommandDocs Command(string name, JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            return CommandDocs.Named(name);
        }
        var options = ImmutableArray.CreateBuilder<OptionDocs>();
        if (fields.TryGetProperty("options", out var definitions) && definitions.ValueKind == JsonValueKind.Object)
        {
            foreach (var option in definitions.EnumerateObject())
            {
                if (option.Value.ValueKind == JsonValueKind.Object)
                {
                    var required = option.Value.TryGetProperty("required", out var flag) && flag.ValueKind == JsonValueKind.True;
                    options.Add(new OptionDocs(option.Name, OptionTypeOf(Text(option.Value, "type")), required,
                        Text(option.Value, "short_flag")?.TrimStart('-') is { Length: > 0 } shortFlag ? shortFlag : null,
                        Text(option.Value, "description")));
                }
            }
        }
        var output = fields.TryGetProperty("output", out var outputFields) && outputFields.ValueKind == JsonValueKind.Object ? outputFields : default;
        return new CommandDocs(name, Text(fields, "description"), Text(fields, "long_description"), Text(fields, "arguments"),
            Text(fields, "examples"), Text(fields, "notes"),
            output.ValueKind == JsonValueKind.Object ? Text(output, "description") : null,
            output.ValueKind == JsonValueKind.Object ? Text(output, "example") : null,
            options.ToImmutable());
    }

    static OptionType OptionTypeOf(string? type) => type switch
    {
        "int" => OptionType.Int,
        "float" => OptionType.Float,
        "bool" => OptionType.Bool,
        "incr" => OptionType.Incr,
        "list" => OptionType.List,
        _ => OptionType.String,
    };

    static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
