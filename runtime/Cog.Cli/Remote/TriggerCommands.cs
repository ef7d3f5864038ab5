using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl trigger</c>: HTTP triggers that run a pipeline.</summary>
static class TriggerCommands
{
    static readonly string[] Summary = ["name", "pipeline", "enabled"];
    static readonly string[] Detail = ["name", "pipeline", "enabled", "as_user", "timeout_sec", "allow_cross_origin", "invocation_url"];

    const string AllowCrossOriginHelp =
        "Whether requests that pages of other sites make browsers send may invoke the trigger (refused by default, against cross-site request forgery)";

    public static Command Create(CliContext context)
    {
        var trigger = new Command("trigger", "Create, edit, delete, and view Cog triggers. Lists all triggers when called without a subcommand.");
        context.SetRemoteAction(trigger, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/triggers", "triggers", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var rows = new List<string[]>();
            foreach (var item in Fields.Objects(result.Array))
            {
                rows.Add(Array.ConvertAll(Summary, f => Fields.Cell(item, f)));
            }
            return s.Write(result.Content, () => Table.List(Summary, rows));
        });

        var name = new Argument<string>("NAME");
        var pipeline = new Argument<string>("PIPELINE");
        var enable = new Option<bool>("--enable") { Description = "Enable newly created trigger" };
        var asUser = new Option<string?>("--as-user") { Description = "Trigger will execute with this user's permissions" };
        var timeout = new Option<int>("--timeout") { Description = "Maximum time trigger is allowed to run (seconds)", DefaultValueFactory = _ => 60 };
        var description = new Option<string?>("--description") { Description = "Trigger description" };
        var allowCrossOrigin = new Option<bool>("--allow-cross-origin") { Description = AllowCrossOriginHelp };
        var create = new Command("create", "Create a new trigger.") { name, pipeline, enable, asUser, timeout, description, allowCrossOrigin };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            var data = new JsonObject
            {
                ["name"] = r.GetValue(name),
                ["pipeline"] = r.GetValue(pipeline),
                ["enabled"] = r.GetValue(enable),
                ["timeout_sec"] = r.GetValue(timeout),
            };
            if (r.GetValue(asUser) is { } user)
            {
                data["as_user"] = user;
            }
            if (r.GetValue(description) is { } text)
            {
                data["description"] = text;
            }
            if (r.GetValue(allowCrossOrigin))
            {
                data["allow_cross_origin"] = true;
            }
            return Show(s, await s.Api.PostAsync("/v1/triggers", new JsonObject { ["trigger"] = data }, "trigger", ct), Summary);
        });

        var infoName = new Argument<string>("NAME");
        var info = new Command("info", "Display trigger details.") { infoName };
        context.SetRemoteAction(info, async (s, r, ct) => Show(s, await s.Api.GetAsync(Path(r.GetValue(infoName)!), "trigger", ct), Detail));

        var deleteName = new Argument<string>("NAME");
        var force = new Option<bool>("--force") { Description = "Force trigger deletion (do not ask)" };
        var yes = UserCommands.Yes();
        var delete = new Command("delete", "Delete a trigger (asks for confirmation unless --force or --yes).") { deleteName, force, yes };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            if (s.Confirm(r.GetValue(force) || r.GetValue(yes)) is { } stop)
            {
                return stop;
            }
            var triggerName = r.GetValue(deleteName)!;
            var result = await s.Api.DeleteAsync(Path(triggerName), ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (!s.Json)
            {
                s.Output.WriteLine($"Trigger \"{triggerName}\" deleted");
            }
            return ExitCodes.Success;
        });

        var updateName = new Argument<string>("TRIGGER_NAME");
        var newName = new Option<string?>("--name") { Description = "New name for trigger" };
        var enableIt = new Option<bool>("--enable") { Description = "Enable trigger" };
        var disableIt = new Option<bool>("--disable") { Description = "Disable trigger" };
        var newUser = new Option<string?>("--as-user") { Description = "Trigger will execute with this user's permissions" };
        var newTimeout = new Option<int?>("--timeout") { Description = "Maximum time trigger is allowed to run (seconds)" };
        var newPipeline = new Option<string?>("--pipeline") { Description = "Command pipeline attached to trigger" };
        var newDescription = new Option<string?>("--description") { Description = "Trigger description" };
        var newAllowCrossOrigin = new Option<bool>("--allow-cross-origin")
        {
            Description = AllowCrossOriginHelp + " (--allow-cross-origin false refuses them again)",
        };
        var update = new Command("update", "Update trigger configuration.")
        {
            updateName, newName, enableIt, disableIt, newUser, newTimeout, newPipeline, newDescription, newAllowCrossOrigin,
        };
        context.SetRemoteAction(update, async (s, r, ct) =>
        {
            if (r.GetValue(enableIt) && r.GetValue(disableIt))
            {
                return s.Usage(RemoteErrors.EnableAndDisable);
            }
            var data = new JsonObject();
            if (r.GetValue(newName) is { } n)
            {
                data["name"] = n;
            }
            if (r.GetValue(enableIt))
            {
                data["enabled"] = true;
            }
            if (r.GetValue(disableIt))
            {
                data["enabled"] = false;
            }
            if (r.GetValue(newUser) is { } u)
            {
                data["as_user"] = u;
            }
            if (r.GetValue(newTimeout) is { } t)
            {
                data["timeout_sec"] = t;
            }
            if (r.GetValue(newPipeline) is { } p)
            {
                data["pipeline"] = p;
            }
            if (r.GetValue(newDescription) is { } d)
            {
                data["description"] = d;
            }
            if (r.GetResult(newAllowCrossOrigin) is { Implicit: false })
            {
                data["allow_cross_origin"] = r.GetValue(newAllowCrossOrigin);
            }
            if (data.Count == 0)
            {
                return s.Usage(RemoteErrors.NothingToUpdate);
            }
            return Show(s, await s.Api.PutAsync(Path(r.GetValue(updateName)!), new JsonObject { ["trigger"] = data }, "trigger", ct), Detail);
        });

        trigger.Add(create);
        trigger.Add(info);
        trigger.Add(delete);
        trigger.Add(update);
        return trigger;
    }

    static string Path(string trigger) => $"/v1/triggers/{ApiClient.Segment(trigger)}";

    static int Show(Session s, ApiResult result, string[] fields)
    {
        if (!result.Ok)
        {
            return s.Fail(result);
        }
        return s.Write(result.Content, () =>
        {
            var rows = new List<string[]>();
            foreach (var field in fields)
            {
                rows.Add([Table.Title(field), Fields.Cell(result.Content, field)]);
            }
            return Table.Render(rows);
        });
    }
}
