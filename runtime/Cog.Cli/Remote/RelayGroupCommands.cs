using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl relay-group</c>: relay groups, their member relays and their assigned bundles.</summary>
static class RelayGroupCommands
{
    public static Command Create(CliContext context)
    {
        var relayGroup = new Command("relay-group", "Manage relay groups. Lists all relay groups when called without a subcommand.");
        context.SetRemoteAction(relayGroup, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/relay_groups", "relay_groups", ct);
            return result.Ok ? s.Write(result.Content, () => Table.List(["name", "inserted_at", "id"], SortedRecords(result.Array, "name", "inserted_at", "id"))) : s.Fail(result);
        });

        var name = new Argument<string>("NAME");
        var relays = new Argument<string[]>("RELAYS") { Arity = ArgumentArity.ZeroOrMore };
        var create = new Command("create", "Create a relay group, adding the relays named.") { name, relays };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            var ids = await IdsAsync(s, r.GetValue(relays), RelayCommands.Path, "relay", ct);
            if (ids.Failure is not null)
            {
                return s.Fail(ids.Failure);
            }
            var created = await s.Api.PostAsync("/v1/relay_groups", new JsonObject { ["relay_group"] = new JsonObject { ["name"] = r.GetValue(name) } }, "relay_group", ct);
            if (!created.Ok)
            {
                return s.Fail(created);
            }
            if (!s.Json)
            {
                s.Output.WriteLine($"Created relay group '{Fields.Str(created.Content, "name")}'");
            }
            if (ids.Values.Count == 0)
            {
                return s.Json ? s.WriteJson(created.Content) : ExitCodes.Success;
            }
            return await ModifyAsync(s, Fields.Str(created.Content, "id") ?? "", "relays", "add", ids.Values, ct);
        });

        var deleteGroups = new Argument<string[]>("GROUPS") { Arity = ArgumentArity.OneOrMore };
        var delete = new Command("delete", "Delete relay groups (they must have no relays and no bundles).") { deleteGroups };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            foreach (var group in r.GetValue(deleteGroups)!)
            {
                var result = await s.Api.DeleteAsync(Path(group), ct);
                if (!result.Ok)
                {
                    return s.Fail(result);
                }
                if (!s.Json)
                {
                    s.Output.WriteLine($"Deleted relay group '{group}'");
                }
            }
            return ExitCodes.Success;
        });

        var addGroup = new Argument<string>("GROUP");
        var addRelays = new Argument<string[]>("RELAYS") { Arity = ArgumentArity.OneOrMore };
        var add = new Command("add", "Add relays to a relay group.") { addGroup, addRelays };
        context.SetRemoteAction(add, async (s, r, ct) =>
        {
            var ids = await IdsAsync(s, r.GetValue(addRelays), RelayCommands.Path, "relay", ct);
            return ids.Failure is not null ? s.Fail(ids.Failure) : await ModifyAsync(s, r.GetValue(addGroup)!, "relays", "add", ids.Values, ct);
        });

        var assignGroup = new Argument<string>("GROUP");
        var assignBundles = new Argument<string[]>("BUNDLES") { Arity = ArgumentArity.OneOrMore };
        var assign = new Command("assign", "Assign bundles to a relay group: their commands run on the group's relays.") { assignGroup, assignBundles };
        context.SetRemoteAction(assign, async (s, r, ct) =>
        {
            var ids = await IdsAsync(s, r.GetValue(assignBundles), BundleRemoteCommands.Path, "bundle", ct);
            return ids.Failure is not null ? s.Fail(ids.Failure) : await ModifyAsync(s, r.GetValue(assignGroup)!, "bundles", "add", ids.Values, ct);
        });

        var infoGroup = new Argument<string>("GROUP");
        var info = new Command("info", "Show details of a single relay group.") { infoGroup };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync(Path(r.GetValue(infoGroup)!), "relay_group", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            return s.Write(result.Content, () =>
                Table.Rows(("Name", Fields.Str(result.Content, "name") ?? ""), ("ID", Fields.Str(result.Content, "id") ?? ""), ("Creation Time", Fields.Time(result.Content, "inserted_at")))
                + "\nRelays\n" + Table.List(["name", "id"], SortedRecords(Fields.Arr(result.Content, "relays"), "name", "id"))
                + "\nBundles\n" + Table.List(["name", "id"], SortedRecords(Fields.Arr(result.Content, "bundles"), "name", "id")));
        });

        relayGroup.Add(create);
        relayGroup.Add(delete);
        relayGroup.Add(add);
        relayGroup.Add(Removal(context, "remove", "Remove relays from a relay group (names, or --all).", "RELAYS", "relays", "Remove all relays from the group"));
        relayGroup.Add(assign);
        relayGroup.Add(Removal(context, "unassign", "Unassign bundles from a relay group (names, or --all).", "BUNDLES", "bundles", "Unassign all bundles from the group"));
        relayGroup.Add(info);
        return relayGroup;
    }

    /// <summary><c>remove</c> and <c>unassign</c>: names that must be in the group already, or <c>--all</c>.</summary>
    static Command Removal(CliContext context, string verb, string description, string itemsName, string kind, string allDescription)
    {
        var group = new Argument<string>("GROUP");
        var items = new Argument<string[]>(itemsName) { Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all", "-a") { Description = allDescription };
        var command = new Command(verb, description) { group, items, all };
        var what = kind == "relays" ? "relay" : "bundle";
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            var names = r.GetValue(items) ?? [];
            var everything = r.GetValue(all);
            if (names.Length == 0 && !everything)
            {
                return s.Usage(RemoteErrors.NamesOrAll(what));
            }
            if (names.Length > 0 && everything)
            {
                return s.Usage(RemoteErrors.NamesAndAll(what));
            }
            var current = await s.Api.GetAsync(Path(r.GetValue(group)!), "relay_group", ct);
            if (!current.Ok)
            {
                return s.Fail(current);
            }
            var groupName = Fields.Str(current.Content, "name") ?? "";
            var members = Fields.Objects(current.Content, kind);
            var chosen = everything ? members : members.FindAll(m => names.Contains(Fields.Str(m, "name")));
            if (!everything)
            {
                var missing = names.Where(n => !members.Exists(m => Fields.Str(m, "name") == n)).ToList();
                if (missing.Count > 0)
                {
                    return s.Usage(RemoteErrors.NotMembers(kind, groupName, string.Join(", ", missing)));
                }
            }
            else
            {
                var sorted = members.ConvertAll(m => Fields.Str(m, "name") ?? "");
                sorted.Sort(StringComparer.Ordinal);
                s.Error.WriteLine(kind == "relays"
                    ? $"Removing ALL relays from group '{groupName}': {string.Join(", ", sorted)}"
                    : $"Unassigning ALL bundles from group '{groupName}': {string.Join(", ", sorted)}");
            }
            return await ModifyAsync(s, Fields.Str(current.Content, "id") ?? groupName, kind, "remove", chosen.ConvertAll(m => Fields.Str(m, "id") ?? ""), ct);
        });
        return command;
    }

    /// <summary>Posts a membership change and prints the group's members afterwards (the original's messages).</summary>
    static async Task<int> ModifyAsync(Session s, string group, string kind, string operation, List<string> ids, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var id in ids)
        {
            list.Add(id);
        }
        var result = await s.Api.PostAsync($"{Path(group)}/{kind}", new JsonObject { [kind] = new JsonObject { [operation] = list } }, "relay_group", ct);
        if (!result.Ok)
        {
            return s.Fail(result);
        }
        return s.Write(result.Content, () => Members(result.Content, kind) + "\n");
    }

    /// <summary>"Relay group 'x' has the following relay members: a, b" and the bundle equivalent.</summary>
    public static string Members(JsonNode? group, string kind)
    {
        var name = Fields.Str(group, "name");
        var names = Fields.Objects(group, kind).ConvertAll(m => Fields.Str(m, "name") ?? "");
        names.Sort(StringComparer.Ordinal);
        if (kind == "relays")
        {
            return names.Count > 0 ? $"Relay group '{name}' has the following relay members: {string.Join(", ", names)}" : $"Relay group '{name}' has no relay members.";
        }
        return names.Count > 0 ? $"Relay group '{name}' has the following assigned bundles: {string.Join(", ", names)}" : $"Relay group '{name}' has no assigned bundles.";
    }

    /// <summary>Looks each name up (GET by name) and collects the ids, stopping at the first that does not exist.</summary>
    static async Task<(List<string> Values, ApiResult? Failure)> IdsAsync(Session s, string[]? names, Func<string, string> path, string envelope, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var name in (names ?? []).Distinct(StringComparer.Ordinal))
        {
            var found = await s.Api.GetAsync(path(name), envelope, ct);
            if (!found.Ok)
            {
                return (ids, found);
            }
            ids.Add(Fields.Str(found.Content, "id") ?? name);
        }
        return (ids, null);
    }

    static List<string[]> SortedRecords(JsonArray items, params string[] fields)
    {
        var rows = Table.Records(items, fields);
        rows.Sort((a, b) => string.CompareOrdinal(a[0], b[0]));
        return rows;
    }

    public static string Path(string group) => $"/v1/relay_groups/{ApiClient.Segment(group)}";
}
