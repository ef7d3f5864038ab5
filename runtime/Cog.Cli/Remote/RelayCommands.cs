using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl relay</c>: register, enable, update and remove relays.</summary>
static class RelayCommands
{
    public static Command Create(CliContext context)
    {
        var relay = new Command("relay", "Manage relays. Lists relays when called without a subcommand.");
        var list = new Command("list", "List relays: enabled or not, online or offline (and how many problems), id.");
        foreach (var lister in (Command[])[relay, list])
        {
            context.SetRemoteAction(lister, async (s, _, ct) =>
            {
                var result = await s.Api.GetAsync("/v1/relays", "relays", ct);
                if (!result.Ok)
                {
                    return s.Fail(result);
                }
                var rows = new List<string[]>();
                foreach (var item in Fields.Objects(result.Array))
                {
                    rows.Add([Fields.Str(item, "name") ?? "", Status(item), State(item), Fields.Str(item, "id") ?? ""]);
                }
                return s.Write(result.Content, () => Table.List(["name", "status", "state", "id"], rows));
            });
        }

        var name = new Argument<string>("NAME");
        var relayId = new Argument<string>("RELAY_ID") { Description = "The relay's id (a UUID, as in the relay's configuration)." };
        var token = new Argument<string>("TOKEN") { Description = "The relay's shared secret." };
        var description = new Option<string?>("--description", "-d") { Description = "Description of the relay" };
        var enable = new Option<bool>("--enable", "-e") { Description = "Enable a relay during creation" };
        var groups = new Option<string[]>("--relay-group", "-r") { Description = "Relay group to add the created relay to; repeatable (or comma-separated)." };
        var create = new Command("create", "Create a relay.") { name, relayId, token, description, enable, groups };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            var groupNames = SplitNames(r.GetValue(groups));
            foreach (var group in groupNames)
            {
                var exists = await s.Api.GetAsync(RelayGroupCommands.Path(group), "relay_group", ct);
                if (!exists.Ok)
                {
                    return s.Fail(exists);
                }
            }
            var body = new JsonObject
            {
                ["relay"] = new JsonObject
                {
                    ["name"] = r.GetValue(name),
                    ["id"] = r.GetValue(relayId)!.ToLowerInvariant(),
                    ["token"] = r.GetValue(token),
                    ["description"] = r.GetValue(description),
                    ["enabled"] = r.GetValue(enable),
                },
            };
            var created = await s.Api.PostAsync("/v1/relays", body, "relay", ct);
            if (!created.Ok || groupNames.Count == 0)
            {
                return Show(s, created);
            }
            var id = Fields.Str(created.Content, "id") ?? "";
            foreach (var group in groupNames)
            {
                var added = await s.Api.PostAsync($"{RelayGroupCommands.Path(group)}/relays", new JsonObject { ["relays"] = new JsonObject { ["add"] = new JsonArray(id) } }, null, ct);
                if (!added.Ok)
                {
                    return s.Fail(added);
                }
            }
            return Show(s, await s.Api.GetAsync(Path(id), "relay", ct));
        });

        var infoRelay = new Argument<string>("RELAY");
        var info = new Command("info", "Show relay details.") { infoRelay };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync(Path(r.GetValue(infoRelay)!), "relay", ct);
            return result.Ok ? s.Write(result.Content, () => Render(result.Content, live: true)) : s.Fail(result);
        });

        var updateRelay = new Argument<string>("RELAY");
        var newToken = new Option<string?>("--token", "-t") { Description = "A new token" };
        var newDescription = new Option<string?>("--description", "-d") { Description = "Description of the relay" };
        var update = new Command("update", "Update a relay.") { updateRelay, newToken, newDescription };
        context.SetRemoteAction(update, async (s, r, ct) =>
        {
            var attributes = new JsonObject();
            if (r.GetValue(newToken) is { } t)
            {
                attributes["token"] = t;
            }
            if (r.GetValue(newDescription) is { } d)
            {
                attributes["description"] = d;
            }
            if (attributes.Count == 0)
            {
                return s.Usage(RemoteErrors.NothingToUpdate);
            }
            return Show(s, await s.Api.PutAsync(Path(r.GetValue(updateRelay)!), new JsonObject { ["relay"] = attributes }, "relay", ct));
        });

        var renameRelay = new Argument<string>("RELAY");
        var newName = new Argument<string>("NEW_NAME");
        var rename = new Command("rename", "Rename a relay.") { renameRelay, newName };
        context.SetRemoteAction(rename, (s, r, ct) => Quiet(s, s.Api.PutAsync(Path(r.GetValue(renameRelay)!), new JsonObject { ["relay"] = new JsonObject { ["name"] = r.GetValue(newName) } }, "relay", ct)));

        var deleteRelay = new Argument<string>("RELAY");
        var delete = new Command("delete", "Delete a relay.") { deleteRelay };
        context.SetRemoteAction(delete, (s, r, ct) => Quiet(s, s.Api.DeleteAsync(Path(r.GetValue(deleteRelay)!), ct)));

        relay.Add(list);
        relay.Add(create);
        relay.Add(Status(context, "enable", "Enable a relay.", enabled: true));
        relay.Add(Status(context, "disable", "Disable a relay.", enabled: false));
        relay.Add(info);
        relay.Add(update);
        relay.Add(rename);
        relay.Add(delete);
        return relay;
    }

    static Command Status(CliContext context, string verb, string description, bool enabled)
    {
        var relay = new Argument<string>("RELAY");
        var command = new Command(verb, description) { relay };
        context.SetRemoteAction(command, (s, r, ct) => Quiet(s, s.Api.PutAsync(Path(r.GetValue(relay)!), new JsonObject { ["relay"] = new JsonObject { ["enabled"] = enabled } }, "relay", ct)));
        return command;
    }

    /// <summary>Commands the original ran silently: nothing on success (the content with --json).</summary>
    static async Task<int> Quiet(Session s, Task<ApiResult> request)
    {
        var result = await request;
        return result.Ok ? (s.Json ? s.WriteJson(result.Content) : ExitCodes.Success) : s.Fail(result);
    }

    /// <summary>Names from a repeatable option, each possibly comma-separated (the original's compatibility).</summary>
    public static List<string> SplitNames(string[]? values)
    {
        var names = new List<string>();
        foreach (var value in values ?? [])
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!names.Contains(part))
                {
                    names.Add(part);
                }
            }
        }
        return names;
    }

    public static string Path(string relay) => $"/v1/relays/{ApiClient.Segment(relay)}";

    static string Status(JsonNode? relay) => Fields.Bool(relay, "enabled") ? "enabled" : "disabled";

    /// <summary>Whether the relay is connected now, from its live status: <c>online</c>, <c>online, 2 problems</c> or
    /// <c>offline</c> (no live status: never connected since the server started, or gone).</summary>
    static string State(JsonNode? relay)
    {
        var status = Fields.Obj(relay, "status");
        if (Fields.Str(status, "state") != "online")
        {
            return "offline";
        }
        var problems = Fields.Objects(status, "problems").Count;
        return problems switch
        {
            0 => "online",
            1 => "online, 1 problem",
            _ => string.Create(CultureInfo.InvariantCulture, $"online, {problems} problems"),
        };
    }

    static int Show(Session s, ApiResult result) => result.Ok ? s.Write(result.Content, () => Render(result.Content, live: false)) : s.Fail(result);

    /// <summary>A relay's details; <paramref name="live"/> (<c>relay info</c>) adds whether it is online and when it last
    /// reported, which the answer to a change (<c>relay create</c>, <c>update</c>) does not need.</summary>
    static string Render(JsonNode? relay, bool live) => Table.Rows(
    [
        ("Name", Fields.Str(relay, "name") ?? ""),
        ("ID", Fields.Str(relay, "id") ?? ""),
        ("Status", Status(relay)),
        .. live ? [("State", State(relay)), ("Last Status", Fields.Time(Fields.Obj(relay, "status"), "status_at"))] : Array.Empty<(string, string)>(),
        ("Description", Fields.Str(relay, "description") ?? ""),
        ("Groups", Fields.Names(relay, "groups")),
        .. Isolation(relay),
        .. Problems(relay),
    ]);

    /// <summary>One row per confinement mechanism the relay reported in its live status (none from a relay that does
    /// not report it, or from a server without live status): <c>name: yes|NO — detail</c>.</summary>
    static IEnumerable<(string Label, string Value)> Isolation(JsonNode? relay) =>
        Fields.Objects(Fields.Obj(relay, "status"), "isolation").Select((m, i) => (i == 0 ? "Isolation" : "",
            $"{Fields.Str(m, "name")}: {(Fields.Bool(m, "available") ? "yes" : "NO")} — {Fields.Str(m, "detail")}"));

    /// <summary>One row per difference between what the relay announced and what it was assigned, from its live status:
    /// <c>kind: message</c> (the message names the bundle version and the reason).</summary>
    static IEnumerable<(string Label, string Value)> Problems(JsonNode? relay) =>
        Fields.Objects(Fields.Obj(relay, "status"), "problems").Select((p, i) => (i == 0 ? "Problems" : "",
            $"{Fields.Str(p, "kind")}: {Fields.Str(p, "message")}"));
}
