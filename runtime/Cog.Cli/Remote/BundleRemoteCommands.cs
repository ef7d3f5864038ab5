using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary>
/// The server side of <c>cogctl bundle</c> (next to the offline <c>validate</c> and <c>package</c>): the list (no
/// subcommand), <c>install</c> (<see cref="BundleInstall"/>), <c>uninstall</c>, <c>enable</c>, <c>disable</c>,
/// <c>info</c>, <c>versions</c> and <c>config</c> (<see cref="BundleConfigCommands"/>).
/// </summary>
static class BundleRemoteCommands
{
    public static void AddTo(Command bundle, CliContext context)
    {
        bundle.Description = "Manage command bundles and their config. Lists the installed bundles and their enabled version when called without a subcommand.";
        var enabled = new Option<bool>("--enabled", "-e") { Description = "List only enabled bundles" };
        var disabled = new Option<bool>("--disabled", "-d") { Description = "List only disabled bundles" };
        bundle.Add(enabled);
        bundle.Add(disabled);
        context.SetRemoteAction(bundle, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/bundles", "bundles", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var onlyEnabled = r.GetValue(enabled);
            var onlyDisabled = r.GetValue(disabled);
            var chosen = new JsonArray();
            var bundles = Fields.Objects(result.Array);
            bundles.Sort((a, b) => string.CompareOrdinal(Fields.Str(a, "name"), Fields.Str(b, "name")));
            foreach (var item in bundles)
            {
                var isEnabled = Fields.Obj(item, "enabled_version") is not null;
                if (onlyEnabled != onlyDisabled && isEnabled != onlyEnabled)
                {
                    continue;
                }
                chosen.Add(item.DeepClone());
            }
            return s.Write(chosen, () => ListTable(chosen, s.Verbose));
        });

        bundle.Add(BundleInstall.Create(context));
        bundle.Add(Uninstall(context));
        bundle.Add(Enable(context));
        bundle.Add(Disable(context));
        bundle.Add(Info(context));
        bundle.Add(Versions(context));
        bundle.Add(BundleConfigCommands.Create(context));
    }

    public static string Path(string bundle) => $"/v1/bundles/{ApiClient.Segment(bundle)}";

    public static string VersionPath(JsonNode? version) =>
        $"/v1/bundles/{ApiClient.Segment(Fields.Str(version, "bundle_id") ?? "")}/versions/{ApiClient.Segment(Fields.Str(version, "id") ?? "")}";

    static string ListTable(JsonArray bundles, bool verbose)
    {
        var rows = new List<string[]>();
        foreach (var item in Fields.Objects(bundles))
        {
            var enabledVersion = Fields.Str(Fields.Obj(item, "enabled_version"), "version") ?? "(disabled)";
            if (!verbose)
            {
                rows.Add([Fields.Str(item, "name") ?? "", enabledVersion]);
                continue;
            }
            var versions = Fields.Objects(item, "versions").ConvertAll(v => Fields.Str(v, "version") ?? "");
            versions.Sort(SemanticVersion.Comparer);
            rows.Add([Fields.Str(item, "name") ?? "", enabledVersion, string.Join(", ", versions), Fields.Str(item, "id") ?? ""]);
        }
        return verbose
            ? Table.List(["name", "enabled_version", "installed_versions", "bundle_id"], rows)
            : Table.List(["name", "enabled_version"], rows);
    }

    static Command Enable(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var version = new Argument<string?>("VERSION") { Arity = ArgumentArity.ZeroOrOne, Description = "Default: the highest installed version." };
        var command = new Command("enable", "Enable a version of a bundle (the highest when none is given); any other enabled version is disabled.") { name, version };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            var bundle = await s.Api.GetAsync(Path(r.GetValue(name)!), "bundle", ct);
            if (!bundle.Ok)
            {
                return s.Fail(bundle);
            }
            var versions = Fields.Objects(bundle.Content, "versions");
            var wanted = r.GetValue(version) ?? versions.ConvertAll(v => Fields.Str(v, "version") ?? "").Max(SemanticVersion.Comparer);
            var chosen = versions.Find(v => Fields.Str(v, "version") == wanted);
            if (chosen is null)
            {
                return s.Fail(RemoteErrors.NoVersion(wanted ?? "", Fields.Str(bundle.Content, "name") ?? ""), ExitCodes.ServerRefused);
            }
            chosen["bundle_id"] ??= Fields.Str(bundle.Content, "id");
            var result = await s.Api.PostAsync($"{VersionPath(chosen)}/status", new JsonObject { ["status"] = "enabled" }, null, ct);
            return result.Ok
                ? s.Write(result.Content, () => $"Enabled {Fields.Str(result.Content, "name")} {Fields.Str(result.Content, "enabled_version")}\n")
                : s.Fail(result);
        });
        return command;
    }

    static Command Disable(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var command = new Command("disable", "Disable a bundle by name.") { name };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            var bundle = await s.Api.GetAsync(Path(r.GetValue(name)!), "bundle", ct);
            if (!bundle.Ok)
            {
                return s.Fail(bundle);
            }
            if (Fields.Obj(bundle.Content, "enabled_version") is not { } enabledVersion)
            {
                return s.Write(bundle.Content, () => $"{Fields.Str(bundle.Content, "name")} was already disabled\n");
            }
            enabledVersion["bundle_id"] ??= Fields.Str(bundle.Content, "id");
            var result = await s.Api.PostAsync($"{VersionPath(enabledVersion)}/status", new JsonObject { ["status"] = "disabled" }, null, ct);
            return result.Ok ? s.Write(result.Content, () => $"Disabled {Fields.Str(result.Content, "name")}\n") : s.Fail(result);
        });
        return command;
    }

    static Command Info(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var version = new Argument<string?>("VERSION") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("info", "Display bundle information, or a version's when VERSION is given.") { name, version };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            var bundle = await s.Api.GetAsync(Path(r.GetValue(name)!), "bundle", ct);
            if (!bundle.Ok)
            {
                return s.Fail(bundle);
            }
            if (r.GetValue(version) is not { } wanted)
            {
                // A disabled bundle has no enabled version to show commands from: show its newest version's.
                JsonNode? newest = null;
                var versions = Fields.Objects(bundle.Content, "versions");
                if (Fields.Obj(bundle.Content, "enabled_version") is null && versions.Count > 0)
                {
                    var last = versions.MaxBy(v => Fields.Str(v, "version") ?? "", SemanticVersion.Comparer)!;
                    last["bundle_id"] ??= Fields.Str(bundle.Content, "id");
                    var newestVersion = await s.Api.GetAsync(VersionPath(last), "bundle_version", ct);
                    if (!newestVersion.Ok)
                    {
                        return s.Fail(newestVersion);
                    }
                    newest = newestVersion.Content;
                }
                return s.Write(bundle.Content, () => BundleTable(bundle.Content, newest));
            }
            var found = Fields.Objects(bundle.Content, "versions").Find(v => Fields.Str(v, "version") == wanted);
            if (found is null)
            {
                return s.Fail(RemoteErrors.NoVersion(wanted, Fields.Str(bundle.Content, "name") ?? ""), ExitCodes.ServerRefused);
            }
            found["bundle_id"] ??= Fields.Str(bundle.Content, "id");
            var detail = await s.Api.GetAsync(VersionPath(found), "bundle_version", ct);
            return detail.Ok ? s.Write(detail.Content, () => VersionTable(detail.Content)) : s.Fail(detail);
        });
        return command;
    }

    /// <summary>The bundle's details, with the commands and permissions of its enabled version, or of
    /// <paramref name="newest"/> (its newest version) when none is enabled.</summary>
    static string BundleTable(JsonNode? bundle, JsonNode? newest)
    {
        var enabled = Fields.Obj(bundle, "enabled_version");
        var rows = new List<string[]> { new[] { "Bundle ID:", Fields.Str(bundle, "id") ?? "" } };
        if (enabled is not null)
        {
            rows.Add(["Version ID:", Fields.Str(enabled, "id") ?? ""]);
        }
        rows.Add(["Name:", Fields.Str(bundle, "name") ?? ""]);
        rows.Add(["Versions:", Fields.Names(bundle, "versions", "version")]);
        rows.Add(["Status:", enabled is null ? "Disabled" : "Enabled"]);
        if (enabled is not null)
        {
            rows.Add(["Enabled Version:", Fields.Str(enabled, "version") ?? ""]);
            rows.Add(["Commands:", Fields.Names(enabled, "commands")]);
            rows.Add(["Permissions:", Permissions(enabled)]);
        }
        else if (newest is not null)
        {
            rows.Add(["Newest Version:", Fields.Str(newest, "version") ?? ""]);
            rows.Add(["Commands:", Fields.Names(newest, "commands")]);
            rows.Add(["Permissions:", Permissions(newest)]);
        }
        if (Fields.Arr(bundle, "relay_groups").Count > 0)
        {
            rows.Add(["Relay Groups:", Fields.Names(bundle, "relay_groups")]);
        }
        return Table.Render(rows);
    }

    static string VersionTable(JsonNode? version) => Table.Rows(
        ("Bundle ID:", Fields.Str(version, "bundle_id") ?? ""),
        ("Version Id:", Fields.Str(version, "id") ?? ""),
        ("Name:", Fields.Str(version, "name") ?? ""),
        ("Status:", Fields.Bool(version, "enabled") ? "Enabled" : "Disabled"),
        ("Version:", Fields.Str(version, "version") ?? ""),
        ("Commands:", Fields.Names(version, "commands")),
        ("Permissions:", Permissions(version)));

    static string Permissions(JsonNode? version) =>
        string.Join(", ", Fields.Objects(version, "permissions").ConvertAll(p => PermissionCommands.Display(p)));

    static Command Versions(CliContext context)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "Default: every bundle." };
        var incompatible = new Option<bool>("--incompatible", "-x") { Description = "List only incompatible bundle versions" };
        var command = new Command("versions", "List installed bundle versions and their status.") { name, incompatible };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            List<JsonObject> bundles;
            if (r.GetValue(name) is { } bundleName)
            {
                var one = await s.Api.GetAsync(Path(bundleName), "bundle", ct);
                if (!one.Ok)
                {
                    return s.Fail(one);
                }
                bundles = [one.Object];
            }
            else
            {
                var all = await s.Api.GetAsync("/v1/bundles", "bundles", ct);
                if (!all.Ok)
                {
                    return s.Fail(all);
                }
                bundles = Fields.Objects(all.Array);
                bundles.Sort((a, b) => string.CompareOrdinal(Fields.Str(a, "name"), Fields.Str(b, "name")));
            }
            var records = new JsonArray();
            foreach (var bundle in bundles)
            {
                var enabledVersion = Fields.Str(Fields.Obj(bundle, "enabled_version"), "version");
                var rows = new List<(string Version, string Status)>();
                foreach (var v in Fields.Objects(bundle, "versions"))
                {
                    var text = Fields.Str(v, "version") ?? "";
                    rows.Add((text, text == enabledVersion ? "Enabled" : "Disabled"));
                }
                foreach (var v in Fields.Objects(bundle, "incompatible_versions"))
                {
                    rows.Add((Fields.Str(v, "version") ?? "", "Incompatible"));
                }
                rows.Sort((a, b) => SemanticVersion.Comparer.Compare(a.Version, b.Version));
                foreach (var (version, status) in rows)
                {
                    if (!r.GetValue(incompatible) || status == "Incompatible")
                    {
                        records.Add(new JsonObject { ["bundle"] = Fields.Str(bundle, "name"), ["version"] = version, ["status"] = status });
                    }
                }
            }
            return s.Write(records, () => Table.List(["bundle", "version", "status"], Table.Records(records, "bundle", "version", "status")));
        });
        return command;
    }

    static Command Uninstall(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var version = new Argument<string?>("VERSION") { Arity = ArgumentArity.ZeroOrOne };
        var clean = new Option<bool>("--clean", "-c") { Description = "Uninstall all disabled bundle versions" };
        var incompatible = new Option<bool>("--incompatible", "-x") { Description = "Uninstall all incompatible versions of the bundle" };
        var all = new Option<bool>("--all", "-a") { Description = "Uninstall all versions of the bundle" };
        var command = new Command("uninstall", "Uninstall bundle versions (never the enabled one).") { name, version, clean, incompatible, all };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            var wanted = r.GetValue(version);
            var anyFlag = r.GetValue(clean) || r.GetValue(incompatible) || r.GetValue(all);
            if (wanted is not null && anyFlag)
            {
                return s.Usage(RemoteErrors.UninstallVersionAndFlag);
            }
            if (wanted is null && !anyFlag)
            {
                return s.Usage(RemoteErrors.UninstallNothingChosen);
            }
            var bundle = await s.Api.GetAsync(Path(r.GetValue(name)!), "bundle", ct);
            if (!bundle.Ok)
            {
                return s.Fail(bundle);
            }
            var bundleName = Fields.Str(bundle.Content, "name") ?? "";
            var enabledVersion = Fields.Str(Fields.Obj(bundle.Content, "enabled_version"), "version");
            if (r.GetValue(all) && enabledVersion is not null)
            {
                return s.Fail(RemoteErrors.UninstallAllEnabled(bundleName, enabledVersion), ExitCodes.Usage);
            }
            var versions = Fields.Objects(bundle.Content, "versions");
            var incompatibleVersions = Fields.Objects(bundle.Content, "incompatible_versions");
            List<JsonObject> chosen;
            if (wanted is not null)
            {
                var found = versions.Concat(incompatibleVersions).FirstOrDefault(v => Fields.Str(v, "version") == wanted);
                if (found is null)
                {
                    return s.Fail(RemoteErrors.NoVersion(wanted, bundleName), ExitCodes.ServerRefused);
                }
                if (wanted == enabledVersion)
                {
                    return s.Usage(RemoteErrors.UninstallEnabled);
                }
                chosen = [found];
            }
            else if (r.GetValue(incompatible))
            {
                chosen = incompatibleVersions;
            }
            else if (r.GetValue(all))
            {
                chosen = [.. versions, .. incompatibleVersions];
            }
            else
            {
                chosen = versions.FindAll(v => Fields.Str(v, "version") != enabledVersion);
            }
            var removed = new JsonArray();
            foreach (var v in chosen)
            {
                v["bundle_id"] ??= Fields.Str(bundle.Content, "id");
                var result = await s.Api.DeleteAsync(VersionPath(v), ct);
                if (!result.Ok)
                {
                    return s.Fail(result);
                }
                removed.Add(new JsonObject { ["bundle"] = bundleName, ["version"] = Fields.Str(v, "version") });
                if (!s.Json)
                {
                    s.Output.WriteLine($"Uninstalled {bundleName} {Fields.Str(v, "version")}");
                }
            }
            if (s.Json)
            {
                return s.WriteJson(removed);
            }
            if (chosen.Count == 0)
            {
                s.Output.WriteLine("Nothing to uninstall");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
