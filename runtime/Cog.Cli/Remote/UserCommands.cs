using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl user</c>: list, create, show, update and delete users.</summary>
static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var user = new Command("user", "Manage Cog users. Lists all the users on the server when called without a subcommand.");
        context.SetRemoteAction(user, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/users", "users", ct);
            return result.Ok ? s.Write(result.Content, () => ListTable(result.Array)) : s.Fail(result);
        });

        var username = new Argument<string>("USERNAME");
        var first = new Option<string?>("--first-name") { Description = "First name" };
        var last = new Option<string?>("--last-name") { Description = "Last name" };
        var email = new Option<string?>("--email") { Description = "Email address (asked for on a terminal when not given)" };
        var password = new Option<string?>("--password") { Description = "Password (asked for without echo on a terminal, else read from standard input)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var create = new Command("create", "Create a new user.") { username, first, last, email, password, passwordStdin };
        context.SetRemoteAction(create, (s, r, ct) => CreateAsync(s, r.GetValue(username)!, r.GetValue(first), r.GetValue(last), r.GetValue(email), r.GetValue(password), r.GetValue(passwordStdin), ct));

        var infoUser = new Argument<string>("USER");
        var info = new Command("info", "Get info about a specific user by username.") { infoUser };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync($"/v1/users/{ApiClient.Segment(r.GetValue(infoUser)!)}", "user", ct);
            return result.Ok ? s.Write(result.Content, () => Render(result.Content)) : s.Fail(result);
        });

        var updateUser = new Argument<string>("USER");
        var newFirst = new Option<string?>("--first-name") { Description = "First name" };
        var newLast = new Option<string?>("--last-name") { Description = "Last name" };
        var newEmail = new Option<string?>("--email") { Description = "Email address" };
        var newUsername = new Option<string?>("--username") { Description = "Username" };
        var newPassword = new Option<string?>("--password") { Description = "Password" };
        var update = new Command("update", "Update an existing user.") { updateUser, newFirst, newLast, newEmail, newUsername, newPassword };
        context.SetRemoteAction(update, async (s, r, ct) =>
        {
            var attributes = new JsonObject();
            Put(attributes, "first_name", r.GetValue(newFirst));
            Put(attributes, "last_name", r.GetValue(newLast));
            Put(attributes, "email_address", r.GetValue(newEmail));
            Put(attributes, "username", r.GetValue(newUsername));
            Put(attributes, "password", r.GetValue(newPassword));
            if (attributes.Count == 0)
            {
                return s.Usage(RemoteErrors.NothingToUpdate);
            }
            var result = await s.Api.PutAsync($"/v1/users/{ApiClient.Segment(r.GetValue(updateUser)!)}", new JsonObject { ["user"] = attributes }, "user", ct);
            return result.Ok ? s.Write(result.Content, () => Render(result.Content)) : s.Fail(result);
        });

        var deleteUser = new Argument<string>("USER");
        var yes = Yes();
        var delete = new Command("delete", "Delete a user (asks for confirmation).") { deleteUser, yes };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            if (s.Confirm(r.GetValue(yes)) is { } stop)
            {
                return stop;
            }
            var path = $"/v1/users/{ApiClient.Segment(r.GetValue(deleteUser)!)}";
            var existing = await s.Api.GetAsync(path, "user", ct);
            if (!existing.Ok)
            {
                return s.Fail(existing);
            }
            var deleted = await s.Api.DeleteAsync(path, ct);
            return deleted.Ok ? s.Write(existing.Content, () => Render(existing.Content)) : s.Fail(deleted);
        });

        user.Add(create);
        user.Add(info);
        user.Add(update);
        user.Add(delete);
        return user;
    }

    /// <summary>The <c>--yes/-y</c> option of commands that confirm.</summary>
    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation (needed without a terminal)." };

    static void Put(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    static async Task<int> CreateAsync(Session s, string username, string? first, string? last, string? email, string? password, bool passwordStdin, CancellationToken ct)
    {
        if (email is null && s.Environment.IsInteractive)
        {
            s.Error.Write("Email: ");
            email = s.Environment.Input.ReadLine()?.Trim();
        }
        if (string.IsNullOrEmpty(email))
        {
            return s.Usage(RemoteErrors.EmailNeeded);
        }
        if (password is null)
        {
            if (passwordStdin || !s.Environment.IsInteractive)
            {
                password = s.Environment.Input.ReadLine();
            }
            else
            {
                var read = s.Environment.ReadSecret ?? (prompt => { s.Error.Write(prompt); return s.Environment.Input.ReadLine(); });
                password = read("Password: ");
                if (password is not null && read("Repeat for confirmation: ") != password)
                {
                    return s.Usage(UserErrors.PasswordsDiffer);
                }
            }
        }
        if (string.IsNullOrEmpty(password))
        {
            return s.Usage(RemoteErrors.PasswordNeeded);
        }
        var attributes = new JsonObject { ["username"] = username, ["email_address"] = email, ["password"] = password };
        Put(attributes, "first_name", first);
        Put(attributes, "last_name", last);
        var result = await s.Api.PostAsync("/v1/users", new JsonObject { ["user"] = attributes }, "user", ct);
        return result.Ok ? s.Write(result.Content, () => Render(result.Content)) : s.Fail(result);
    }

    static string ListTable(JsonArray users)
    {
        var rows = new List<string[]>();
        foreach (var user in Fields.Objects(users))
        {
            var full = $"{Fields.Str(user, "first_name")} {Fields.Str(user, "last_name")}".Trim();
            rows.Add([Fields.Str(user, "username") ?? "", full, Fields.Str(user, "email_address") ?? ""]);
        }
        return Table.List(["username", "full_name", "email_address"], rows);
    }

    /// <summary>The original's user detail table.</summary>
    public static string Render(JsonNode? user) => Table.Rows(
        ("ID", Fields.Str(user, "id") ?? ""),
        ("Username", Fields.Str(user, "username") ?? ""),
        ("Email", Fields.Str(user, "email_address") ?? ""),
        ("First Name", Fields.Str(user, "first_name") ?? ""),
        ("Last Name", Fields.Str(user, "last_name") ?? ""),
        ("Groups", Fields.Names(user, "groups")));
}

/// <summary>Messages of <c>cogctl user</c>.</summary>
static class UserErrors
{
    /// <summary>click's message when the confirmation differs.</summary>
    public const string PasswordsDiffer = "the two entered values do not match";
}
