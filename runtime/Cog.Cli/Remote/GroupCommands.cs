using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl group</c>: user groups, their members and their roles.</summary>
static class GroupCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("group", "Manage Cog user groups. Lists all user groups when called without a subcommand.");
        context.SetRemoteAction(group, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/groups", "groups", ct);
            return result.Ok ? s.Write(result.Content, () => Table.List(["name", "id"], Table.Records(result.Array, "name", "id"))) : s.Fail(result);
        });

        var name = new Argument<string>("NAME");
        var create = new Command("create", "Create a new user group.") { name };
        context.SetRemoteAction(create, async (s, r, ct) =>
            Show(s, await s.Api.PostAsync("/v1/groups", new JsonObject { ["group"] = new JsonObject { ["name"] = r.GetValue(name) } }, "group", ct)));

        var infoGroup = new Argument<string>("GROUP");
        var info = new Command("info", "Show info on a specific group.") { infoGroup };
        context.SetRemoteAction(info, async (s, r, ct) => Show(s, await s.Api.GetAsync(Path(r.GetValue(infoGroup)!), "group", ct)));

        var renameGroup = new Argument<string>("GROUP");
        var newName = new Argument<string>("NEW_NAME");
        var rename = new Command("rename", "Rename a user group.") { renameGroup, newName };
        context.SetRemoteAction(rename, async (s, r, ct) =>
            Show(s, await s.Api.PutAsync(Path(r.GetValue(renameGroup)!), new JsonObject { ["group"] = new JsonObject { ["name"] = r.GetValue(newName) } }, "group", ct)));

        var deleteGroup = new Argument<string>("GROUP");
        var delete = new Command("delete", "Delete a group.") { deleteGroup };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            var existing = await s.Api.GetAsync(Path(r.GetValue(deleteGroup)!), "group", ct);
            if (!existing.Ok)
            {
                return s.Fail(existing);
            }
            var deleted = await s.Api.DeleteAsync(Path(r.GetValue(deleteGroup)!), ct);
            return deleted.Ok ? Show(s, existing) : s.Fail(deleted);
        });

        group.Add(create);
        group.Add(info);
        group.Add(rename);
        group.Add(delete);
        group.Add(Members(context, "add", "Add one or more users to a group.", "USERNAMES", "users", "add", confirm: false));
        group.Add(Members(context, "remove", "Remove one or more users from a group (asks for confirmation).", "USERNAMES", "users", "remove", confirm: true));
        group.Add(Members(context, "grant", "Grant one or more roles to a group.", "ROLES", "roles", "grant", confirm: false));
        group.Add(Members(context, "revoke", "Revoke one or more roles from a group (asks for confirmation).", "ROLES", "roles", "revoke", confirm: true));
        return group;
    }

    static Command Members(CliContext context, string verb, string description, string itemsName, string kind, string operation, bool confirm)
    {
        var group = new Argument<string>("GROUP");
        var items = new Argument<string[]>(itemsName) { Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { group, items };
        var yes = UserCommands.Yes();
        if (confirm)
        {
            command.Add(yes);
        }
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            if (confirm && s.Confirm(r.GetValue(yes)) is { } stop)
            {
                return stop;
            }
            var names = new JsonArray();
            foreach (var item in r.GetValue(items)!.Distinct(StringComparer.Ordinal))
            {
                names.Add(item);
            }
            var path = Path(r.GetValue(group)!);
            var body = new JsonObject { [kind] = new JsonObject { [operation] = names } };
            var result = await s.Api.PostAsync($"{path}/{kind}", body, null, ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (Fields.Obj(result.Content, "group") is { } updated)
            {
                return Show(s, result with { Content = updated });
            }
            return Show(s, await s.Api.GetAsync(path, "group", ct));
        });
        return command;
    }

    static string Path(string group) => $"/v1/groups/{ApiClient.Segment(group)}";

    static int Show(Session s, ApiResult result) => result.Ok ? s.Write(result.Content, () => Render(result.Content)) : s.Fail(result);

    /// <summary>The original's group table; members are read from <c>members</c> (the original's nesting) or the top level.</summary>
    static string Render(JsonNode? group)
    {
        var members = Fields.Obj(group, "members") ?? group;
        var roles = Fields.Arr(members, "roles").Count > 0 ? Fields.Names(members, "roles") : Fields.Names(group, "roles");
        return Table.Rows(
            ("ID", Fields.Str(group, "id") ?? ""),
            ("Name", Fields.Str(group, "name") ?? ""),
            ("Users", Fields.Names(members, "users", "username")),
            ("Roles", roles));
    }
}
