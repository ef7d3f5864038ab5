using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Manifest;
using Cog.Manifest.Packages;

namespace Cog.Cli.Remote;

/// <summary>
/// <c>cogctl bundle install PATH [--enable] [--force] [--relay-group G]... [--templates DIR]</c>: uploads a manifest
/// (YAML or JSON, <c>-</c> for standard input) as <c>{"bundle":{"config":…,"force":…}}</c>, or a package made by
/// <c>cogctl bundle package</c> as the multipart field <c>bundle[package]</c>; then assigns the new version to the relay
/// groups and enables it when asked.
/// </summary>
static class BundleInstall
{
    static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    static readonly System.Text.RegularExpressions.Regex LocatedWarning = new(@"^([^\s]*?:\d+:\d+:) (.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);

    public static Command Create(CliContext context)
    {
        var bundleOrPath = new Argument<string>("BUNDLE_OR_PATH") { Description = "A bundle folder (packaged and checked as `bundle package` does), a manifest file (config.yaml / config.json), '-' for standard input, or a package (.cogbundle)." };
        var version = new Argument<string?>("VERSION") { Arity = ArgumentArity.ZeroOrOne, Description = "Only for the (unsupported) Warehouse registry." };
        var enable = new Option<bool>("--enable", "-e") { Description = "Enable the bundle after installing it." };
        var force = new Option<bool>("--force", "-f") { Description = "Install even if this version is already installed (replaces it)." };
        var relayGroups = new Option<string[]>("--relay-group", "-r") { Description = "Relay group to assign the bundle to; repeatable (or comma-separated)." };
        var templates = new Option<string?>("--templates", "-t") { Description = "A folder of *.greenbar templates inserted into the manifest's templates before uploading." };
        var command = new Command("install", "Install a bundle from its folder, a manifest file or a package.") { bundleOrPath, version, enable, force, relayGroups, templates };
        context.SetRemoteAction(command, (s, r, ct) => RunAsync(
            s, r.GetValue(bundleOrPath)!, r.GetValue(version), r.GetValue(enable), r.GetValue(force), RelayCommands.SplitNames(r.GetValue(relayGroups)), r.GetValue(templates), ct));
        return command;
    }

    static async Task<int> RunAsync(Session s, string source, string? version, bool enable, bool force, List<string> relayGroups, string? templates, CancellationToken ct)
    {
        if (source != "-" && !File.Exists(source) && !Directory.Exists(source))
        {
            // The original's rule: a bare word without extension names a bundle in the Warehouse registry.
            var bare = Path.GetFileName(source) == source && !Path.HasExtension(source);
            return s.Usage(bare ? RemoteErrors.RegistryUnsupported : RemoteErrors.FileNotFound(source));
        }
        if (version is not null)
        {
            return s.Usage(RemoteErrors.VersionOnlyForRegistry);
        }
        if (templates is not null && !Directory.Exists(templates))
        {
            return s.Usage(RemoteErrors.TemplatesNotADirectory(templates));
        }
        byte[] bytes;
        var fileName = source == "-" ? "package.cogbundle" : Path.GetFileName(source);
        if (Directory.Exists(source))
        {
            // A bundle folder is packaged as `bundle package` would (and checked as thoroughly), then sent as a package.
            if (templates is not null)
            {
                return s.Usage(RemoteErrors.TemplatesWithPackage);
            }
            if (Offline.BundleCommands.Build(source, s.Json, s.Output, s.Error, out var package) is { } failed)
            {
                return failed;
            }
            bytes = package.Bytes;
            fileName = $"{package.Contents.Manifest.Name}-{package.Contents.Manifest.Version}{BundlePackage.FileExtension}";
            Say(s, $"Packaged {package.Contents.Manifest.Name} version {package.Contents.Manifest.Version} from {source} ({package.Contents.Files.Length} file{(package.Contents.Files.Length == 1 ? "" : "s")}, digest {package.Contents.Digest})");
        }
        else
        {
            try
            {
                bytes = source == "-" ? Encoding.UTF8.GetBytes(await s.Environment.Input.ReadToEndAsync(ct)) : await File.ReadAllBytesAsync(source, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return s.Usage(RemoteErrors.FileUnreadable(source, e.Message));
            }
        }
        var groups = new List<JsonNode?>();
        foreach (var group in relayGroups)
        {
            var found = await s.Api.GetAsync(RelayGroupCommands.Path(group), "relay_group", ct);
            if (!found.Ok)
            {
                return s.Fail(found);
            }
            groups.Add(found.Content);
        }

        HttpContent content;
        if (bytes.AsSpan().StartsWith(ZipMagic))
        {
            if (templates is not null)
            {
                return s.Usage(RemoteErrors.TemplatesWithPackage);
            }
            var form = new MultipartFormDataContent();
            var package = new ByteArrayContent(bytes);
            package.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(package, "bundle[package]", fileName);
            if (force)
            {
                form.Add(new StringContent("true"), "bundle[force]");
            }
            content = form;
        }
        else
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (ManifestJson.FromText(text) is not { } json || JsonNode.Parse(json) is not JsonObject config)
            {
                var name = source == "-" ? "config.yaml" : Path.GetFileName(source);
                foreach (var problem in ManifestLoader.Parse(text, name).Errors)
                {
                    s.Error.WriteLine(problem.ToString());
                }
                return s.Fail(RemoteErrors.NotYaml(source == "-" ? "standard input" : $"'{source}'"), ExitCodes.Failure);
            }
            // The manifest goes to the server as written — JSON as the config object itself, YAML as text — so that the
            // server reads it exactly as `bundle validate` does (a key given twice included) and stores its warnings with
            // the version. Templates from a folder can only be added to the parsed manifest; its warnings are then shown
            // here, as the server cannot see them.
            string uploaded;
            if (templates is not null)
            {
                var name = source == "-" ? "config.yaml" : Path.GetFileName(source);
                Offline.BundleCommands.WriteWarnings(ManifestLoader.Parse(text, name).Warnings, s.Error);
                AddTemplates(config, templates);
                uploaded = config.ToJsonString();
            }
            else
            {
                uploaded = IsJsonObject(text) ? text : JsonSerializer.Serialize(text);
            }
            var body = "{\"bundle\":{\"config\":" + uploaded + ",\"force\":" + (force ? "true" : "false") + "}}";
            content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var installed = await s.Api.SendAsync(HttpMethod.Post, "/v1/bundles", content, "bundle_version", authenticate: true, ct);
        if (!installed.Ok)
        {
            return s.Fail(installed);
        }
        foreach (var warning in Fields.Arr(installed.Content, "warnings"))
        {
            // config.yaml:22:5: message → config.yaml:22:5: warning: message (as `bundle validate` writes them)
            var text = warning?.GetValue<string>() ?? "";
            var located = LocatedWarning.Match(text);
            s.Error.WriteLine(located.Success ? $"{located.Groups[1].Value} warning: {located.Groups[2].Value}" : $"warning: {text}");
        }
        var bundleName = Fields.Str(installed.Content, "name");
        var bundleId = Fields.Str(installed.Content, "bundle_id") ?? "";
        Say(s, $"Installed {bundleName} version {Fields.Str(installed.Content, "version")}");
        foreach (var group in groups)
        {
            var body = new JsonObject { ["bundles"] = new JsonObject { ["add"] = new JsonArray(bundleId) } };
            var assigned = await s.Api.PostAsync($"{RelayGroupCommands.Path(Fields.Str(group, "id") ?? "")}/bundles", body, "relay_group", ct);
            if (!assigned.Ok)
            {
                return s.Fail(assigned);
            }
            Say(s, $"Assigned {bundleName} to relay group {Fields.Str(assigned.Content, "name") ?? Fields.Str(group, "name")}");
        }
        if (enable)
        {
            var enabled = await s.Api.PostAsync($"{BundleRemoteCommands.VersionPath(installed.Content)}/status", new JsonObject { ["status"] = "enabled" }, null, ct);
            if (!enabled.Ok)
            {
                return s.Fail(enabled);
            }
            Say(s, $"Enabled {Fields.Str(enabled.Content, "name")} version {Fields.Str(enabled.Content, "enabled_version")}");
        }
        return s.Json ? s.WriteJson(installed.Content) : ExitCodes.Success;
    }

    /// <summary>Whether <paramref name="text"/> is one JSON object (a key given twice allowed: the server decides).</summary>
    static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = true });
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static void Say(Session s, string line)
    {
        if (!s.Json)
        {
            s.Output.WriteLine(line);
        }
    }

    /// <summary>Adds every <c>*.greenbar</c> file of <paramref name="directory"/> as <c>templates: NAME: {body: …}</c>,
    /// replacing a template of the same name (the original's merge).</summary>
    static void AddTemplates(JsonObject config, string directory)
    {
        if (config["templates"] is not JsonObject templates)
        {
            templates = [];
            config["templates"] = templates;
        }
        var files = Directory.GetFiles(directory, "*.greenbar");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            templates[Path.GetFileNameWithoutExtension(file)] = new JsonObject { ["body"] = File.ReadAllText(file) };
        }
    }
}
