using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl chat-handle</c>: the chat identities attached to users.</summary>
static class ChatHandleCommands
{
    static readonly string[] Headers = ["user", "chat_provider", "handle"];

    public static Command Create(CliContext context)
    {
        var chatHandle = new Command("chat-handle", "Manage user chat handles. Lists chat handles when called without a subcommand.");
        context.SetRemoteAction(chatHandle, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/chat_handles", "chat_handles", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var rows = new List<string[]>();
            foreach (var handle in Fields.Objects(result.Array))
            {
                rows.Add(Row(handle));
            }
            return s.Write(result.Content, () => Table.List(Headers, rows));
        });

        var user = new Argument<string>("USER");
        var provider = new Argument<string>("CHAT_PROVIDER");
        var handle = new Argument<string>("HANDLE");
        var create = new Command("create", "Create a chat handle.") { user, provider, handle };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            var body = new JsonObject { ["chat_handle"] = new JsonObject { ["chat_provider"] = r.GetValue(provider), ["handle"] = r.GetValue(handle) } };
            var result = await s.Api.PostAsync($"/v1/users/{ApiClient.Segment(r.GetValue(user)!)}/chat_handles", body, "chat_handle", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var row = Row(result.Content);
            return s.Write(result.Content, () => Table.Rows(("User", row[0]), ("Chat Provider", row[1]), ("Handle", row[2])));
        });

        var deleteUser = new Argument<string>("USER");
        var deleteProvider = new Argument<string>("CHAT_PROVIDER");
        var delete = new Command("delete", "Delete a chat handle.") { deleteUser, deleteProvider };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            var username = r.GetValue(deleteUser)!;
            var providerName = r.GetValue(deleteProvider)!;
            var handles = await s.Api.GetAsync($"/v1/users/{ApiClient.Segment(username)}/chat_handles", "chat_handles", ct);
            if (!handles.Ok)
            {
                return s.Fail(handles);
            }
            var found = Fields.Objects(handles.Array).Find(h => Fields.Str(Fields.Obj(h, "chat_provider"), "name") == providerName);
            if (found is null)
            {
                return s.Fail(RemoteErrors.ChatHandleNotFound(username, providerName), ExitCodes.ServerRefused);
            }
            var result = await s.Api.DeleteAsync($"/v1/chat_handles/{ApiClient.Segment(Fields.Str(found, "id") ?? "")}", ct);
            return result.Ok ? ExitCodes.Success : s.Fail(result);
        });

        chatHandle.Add(create);
        chatHandle.Add(delete);
        return chatHandle;
    }

    static string[] Row(JsonNode? handle) =>
    [
        Fields.Str(Fields.Obj(handle, "user"), "username") ?? "",
        Fields.Str(Fields.Obj(handle, "chat_provider"), "name") ?? "",
        Fields.Str(handle, "handle") ?? "",
    ];
}
