using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl role</c>: roles and the permissions granted to them.</summary>
static class RoleCommands
{
    public static Command Create(CliContext context)
    {
        var role = new Command("role", "Manage roles and role grants. Lists roles when called without a subcommand.");
        context.SetRemoteAction(role, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/roles", "roles", ct);
            return result.Ok ? s.Write(result.Content, () => Table.List(["name", "id"], Table.Records(result.Array, "name", "id"))) : s.Fail(result);
        });

        var name = new Argument<string>("NAME");
        var create = new Command("create", "Create a role.") { name };
        context.SetRemoteAction(create, async (s, r, ct) =>
            Show(s, await s.Api.PostAsync("/v1/roles", new JsonObject { ["role"] = new JsonObject { ["name"] = r.GetValue(name) } }, "role", ct)));

        var infoRole = new Argument<string>("ROLE");
        var info = new Command("info", "Show role details.") { infoRole };
        context.SetRemoteAction(info, async (s, r, ct) => Show(s, await s.Api.GetAsync(Path(r.GetValue(infoRole)!), "role", ct)));

        var renameRole = new Argument<string>("ROLE");
        var newName = new Argument<string>("NEW_NAME");
        var rename = new Command("rename", "Rename a role.") { renameRole, newName };
        context.SetRemoteAction(rename, async (s, r, ct) =>
            Show(s, await s.Api.PutAsync(Path(r.GetValue(renameRole)!), new JsonObject { ["role"] = new JsonObject { ["name"] = r.GetValue(newName) } }, "role", ct)));

        var deleteRole = new Argument<string>("ROLE");
        var delete = new Command("delete", "Delete a role.") { deleteRole };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            var result = await s.Api.DeleteAsync(Path(r.GetValue(deleteRole)!), ct);
            return result.Ok ? ExitCodes.Success : s.Fail(result);
        });

        role.Add(create);
        role.Add(info);
        role.Add(rename);
        role.Add(delete);
        role.Add(Grant(context, "grant", "Grant a permission to a role."));
        role.Add(Grant(context, "revoke", "Revoke a permission from a role."));
        return role;
    }

    static Command Grant(CliContext context, string operation, string description)
    {
        var role = new Argument<string>("ROLE");
        var permission = new Argument<string>("PERMISSION") { Description = "bundle:name (a bare name means site:name)." };
        var command = new Command(operation, description) { role, permission };
        context.SetRemoteAction(command, async (s, r, ct) =>
        {
            if (PermissionCommands.FullName(r.GetValue(permission)!, requireSite: false, out var problem) is not { } fullName)
            {
                return s.Usage(problem!);
            }
            var body = new JsonObject { ["permissions"] = new JsonObject { [operation] = new JsonArray(fullName) } };
            var result = await s.Api.PostAsync($"{Path(r.GetValue(role)!)}/permissions", body, null, ct);
            return result.Ok ? (s.Json ? s.WriteJson(result.Content) : ExitCodes.Success) : s.Fail(result);
        });
        return command;
    }

    static string Path(string role) => $"/v1/roles/{ApiClient.Segment(role)}";

    static int Show(Session s, ApiResult result) => result.Ok ? s.Write(result.Content, () => Render(result.Content)) : s.Fail(result);

    static string Render(JsonNode? role)
    {
        var permissions = new List<string>();
        foreach (var permission in Fields.Objects(role, "permissions"))
        {
            permissions.Add(PermissionCommands.Display(permission));
        }
        return Table.Rows(
            ("Name", Fields.Str(role, "name") ?? ""),
            ("ID", Fields.Str(role, "id") ?? ""),
            ("Permissions", string.Join(", ", permissions)),
            ("Groups", Fields.Names(role, "groups")));
    }
}
