using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;
using Cog.Cli.Output;
using Cog.Manifest;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl bundle config layers|info|create|delete</c>: a bundle's dynamic configuration layers
/// (<c>base</c>, <c>room/NAME</c>, <c>user/NAME</c>).</summary>
static class BundleConfigCommands
{
    public static Command Create(CliContext context)
    {
        var config = new Command("config", "Manage dynamic configuration layers.");

        var layersBundle = new Argument<string>("BUNDLE_NAME");
        var layers = new Command("layers", "List the configuration layers of a bundle.") { layersBundle };
        context.SetRemoteAction(layers, async (s, r, ct) =>
        {
            var bundle = r.GetValue(layersBundle)!;
            var result = await s.Api.GetAsync($"{BundleRemoteCommands.Path(bundle)}/dynamic_config", "dynamic_configurations", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (s.Json)
            {
                return s.WriteJson(result.Content);
            }
            var names = Fields.Objects(result.Array).ConvertAll(LayerName);
            names.Sort(StringComparer.Ordinal);
            if (names.Count == 0)
            {
                s.Output.WriteLine($"No dynamic configuration layers for {bundle}");
            }
            foreach (var name in names)
            {
                s.Output.WriteLine(name);
            }
            return ExitCodes.Success;
        });

        var infoBundle = new Argument<string>("BUNDLE_NAME");
        var infoLayer = new Argument<string>("LAYER") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "base" };
        var info = new Command("info", "Show the contents of one configuration layer (as YAML).") { infoBundle, infoLayer };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            var found = await FindAsync(s, r.GetValue(infoBundle)!, r.GetValue(infoLayer) ?? "base", ct);
            if (found.Failure is { } failure)
            {
                return failure;
            }
            var layerConfig = found.Layer!["config"];
            return s.Write(found.Layer, () => YamlText.Write(layerConfig));
        });

        var createBundle = new Argument<string>("BUNDLE_NAME");
        var file = new Argument<string>("CONFIG_FILE") { Description = "A YAML (or JSON) map; '-' for standard input." };
        var createLayer = new Option<string>("--layer", "-l") { Description = "configuration layer to operate on: base, room/NAME or user/NAME", DefaultValueFactory = _ => "base" };
        var create = new Command("create", "Create (or replace) a dynamic configuration layer for a bundle.") { createBundle, file, createLayer };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            if (LayerPath(r.GetValue(createLayer) ?? "base") is not { } layerPath)
            {
                return s.Usage(RemoteErrors.LayerName);
            }
            var path = r.GetValue(file)!;
            string text;
            try
            {
                text = path == "-" ? await s.Environment.Input.ReadToEndAsync(ct) : await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return s.Usage(RemoteErrors.FileUnreadable(path, e.Message));
            }
            if (ManifestJson.FromText(text) is not { } json)
            {
                return s.Usage(RemoteErrors.InvalidYaml);
            }
            var bundle = r.GetValue(createBundle)!;
            var result = await s.Api.PostAsync($"{BundleRemoteCommands.Path(bundle)}/dynamic_config/{layerPath}", new JsonObject { ["config"] = JsonNode.Parse(json) }, "dynamic_configuration", ct);
            return result.Ok
                ? s.Write(result.Content, () => $"Created {LayerName(result.Object)} layer for '{Fields.Str(result.Content, "bundle_name") ?? bundle}' bundle\n")
                : s.Fail(result);
        });

        var deleteBundle = new Argument<string>("BUNDLE_NAME");
        var deleteLayer = new Argument<string>("LAYER") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "base" };
        var delete = new Command("delete", "Delete a dynamic configuration layer.") { deleteBundle, deleteLayer };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            var bundle = r.GetValue(deleteBundle)!;
            var layer = r.GetValue(deleteLayer) ?? "base";
            if (LayerPath(layer) is not { } layerPath)
            {
                return s.Usage(RemoteErrors.LayerName);
            }
            var result = await s.Api.DeleteAsync($"{BundleRemoteCommands.Path(bundle)}/dynamic_config/{layerPath}", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (!s.Json)
            {
                s.Output.WriteLine($"Deleted '{layer}' layer for bundle '{bundle}'");
            }
            return ExitCodes.Success;
        });

        config.Add(layers);
        config.Add(info);
        config.Add(create);
        config.Add(delete);
        return config;
    }

    /// <summary>The URL path of a layer name: <c>base</c>, <c>room/NAME</c>, <c>user/NAME</c>; null when malformed.</summary>
    static string? LayerPath(string layer)
    {
        if (layer == "base")
        {
            return "base";
        }
        var slash = layer.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || slash == layer.Length - 1 || layer[..slash] is not ("room" or "user"))
        {
            return null;
        }
        return $"{layer[..slash]}/{ApiClient.Segment(layer[(slash + 1)..])}";
    }

    static string LayerName(JsonObject layer) =>
        Fields.Str(layer, "layer") is "base" or null ? "base" : $"{Fields.Str(layer, "layer")}/{Fields.Str(layer, "name")}";

    static async Task<(JsonObject? Layer, int? Failure)> FindAsync(Session s, string bundle, string layer, CancellationToken ct)
    {
        if (LayerPath(layer) is null)
        {
            return (null, s.Usage(RemoteErrors.LayerName));
        }
        var result = await s.Api.GetAsync($"{BundleRemoteCommands.Path(bundle)}/dynamic_config", "dynamic_configurations", ct);
        if (!result.Ok)
        {
            return (null, s.Fail(result));
        }
        var found = Fields.Objects(result.Array).Find(l => LayerName(l) == layer);
        return found is null ? (null, s.Fail(RemoteErrors.LayerNotFound(layer, bundle), ExitCodes.ServerRefused)) : (found, null);
    }
}
