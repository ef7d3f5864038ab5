using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl permission</c>: list permissions; create and delete <c>site</c> ones.</summary>
static class PermissionCommands
{
    public static Command Create(CliContext context)
    {
        var permission = new Command("permission", "Manage permissions. Lists permissions when called without a subcommand.");
        context.SetRemoteAction(permission, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/permissions", "permissions", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var rows = new List<string[]>();
            foreach (var item in Fields.Objects(result.Array))
            {
                rows.Add([Display(item), Fields.Str(item, "id") ?? ""]);
            }
            return s.Write(result.Content, () => Table.List(["name", "id"], rows));
        });

        var name = new Argument<string>("NAME") { Description = "site:NAME (or NAME)." };
        var create = new Command("create", "Create a site permission.") { name };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            if (FullName(r.GetValue(name)!, requireSite: true, out var problem) is not { } fullName)
            {
                return s.Usage(problem!);
            }
            return Show(s, await s.Api.PostAsync("/v1/permissions", new JsonObject { ["permission"] = new JsonObject { ["name"] = fullName } }, "permission", ct));
        });

        var infoName = new Argument<string>("PERMISSION");
        var info = new Command("info", "Show permission details.") { infoName };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            if (FullName(r.GetValue(infoName)!, requireSite: false, out var problem) is not { } fullName)
            {
                return s.Usage(problem!);
            }
            return Show(s, await s.Api.GetAsync($"/v1/permissions/{ApiClient.Segment(fullName)}", "permission", ct));
        });

        var deleteName = new Argument<string>("PERMISSION");
        var delete = new Command("delete", "Delete a permission.") { deleteName };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            if (FullName(r.GetValue(deleteName)!, requireSite: false, out var problem) is not { } fullName)
            {
                return s.Usage(problem!);
            }
            var result = await s.Api.DeleteAsync($"/v1/permissions/{ApiClient.Segment(fullName)}", ct);
            return result.Ok ? ExitCodes.Success : s.Fail(result);
        });

        permission.Add(create);
        permission.Add(info);
        permission.Add(delete);
        return permission;
    }

    /// <summary>bundle:name for a name given on the command line (a bare name is site:name, as in the original).</summary>
    public static string? FullName(string name, bool requireSite, out string? problem)
    {
        problem = null;
        var parts = name.Split(':');
        if (parts.Length > 2)
        {
            problem = RemoteErrors.InvalidPermission(name);
            return null;
        }
        if (parts.Length == 2 && requireSite && parts[0] != "site")
        {
            problem = RemoteErrors.PermissionMustBeSite;
            return null;
        }
        return parts.Length == 1 ? $"site:{name}" : name;
    }

    /// <summary>A permission object as bundle:name.</summary>
    public static string Display(JsonNode? permission)
    {
        var name = Fields.Str(permission, "name") ?? "";
        return Fields.Str(permission, "bundle") is { } bundle && !name.Contains(':', StringComparison.Ordinal) ? $"{bundle}:{name}" : name;
    }

    static int Show(Session s, ApiResult result) =>
        result.Ok ? s.Write(result.Content, () => Table.Rows(("Name", Display(result.Content)), ("ID", Fields.Str(result.Content, "id") ?? ""))) : s.Fail(result);
}
