using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>The body of a route that adds names to a set and removes others: <c>{"roles": {"grant": [...], "revoke":
/// [...]}}</c>. Each route accepts the operation keys Cog 1.0 accepted on it (<see cref="Spelling"/>); a body that names
/// no operation, or an operation the route does not know, is refused with 422 naming the keys it takes, so a client that
/// spells the operation differently is never answered 200 for a change that was not made.</summary>
static class MembershipChange
{
    /// <summary>The envelope of a route and the keys that mean "add" and "remove" on it (synonyms in Cog 1.0's order).</summary>
    /// <param name="Kind">The envelope member: <c>users</c>, <c>roles</c>, <c>permissions</c>, <c>relays</c>, <c>bundles</c>.</param>
    /// <param name="AddKeys">The keys whose lists are added (granted).</param>
    /// <param name="RemoveKeys">The keys whose lists are removed (revoked).</param>
    public sealed record Spelling(string Kind, IReadOnlyList<string> AddKeys, IReadOnlyList<string> RemoveKeys)
    {
        /// <summary>The accepted keys, for messages: <c>"grant" (or "add") and/or "revoke" (or "remove")</c>.</summary>
        public string Expected => $"{Alternatives(AddKeys)} and/or {Alternatives(RemoveKeys)}";

        static string Alternatives(IReadOnlyList<string> keys) =>
            keys.Count == 1 ? $"\"{keys[0]}\"" : $"\"{keys[0]}\" (or {string.Join(", ", keys.Skip(1).Select(static k => $"\"{k}\""))})";
    }

    /// <summary>Group members (Cog 1.0's GroupMembershipController: <c>add</c>, <c>remove</c>).</summary>
    public static readonly Spelling GroupUsers = new("users", ["add"], ["remove"]);

    /// <summary>A group's roles (Cog 1.0's RoleGrantController: <c>grant</c>/<c>revoke</c>, and <c>add</c>/<c>remove</c>,
    /// which the original cogctl sends).</summary>
    public static readonly Spelling GroupRoles = new("roles", ["grant", "add"], ["revoke", "remove"]);

    /// <summary>A role's permissions (Cog 1.0's PermissionGrantController: <c>grant</c>, <c>revoke</c>).</summary>
    public static readonly Spelling RolePermissions = new("permissions", ["grant"], ["revoke"]);

    /// <summary>A relay group's relays (Cog 1.0's RelayGroupMembershipController: <c>add</c>, <c>remove</c>).</summary>
    public static readonly Spelling RelayGroupRelays = new("relays", ["add"], ["remove"]);

    /// <summary>A relay group's bundles (Cog 1.0's RelayGroupMembershipController: <c>add</c>, <c>remove</c>).</summary>
    public static readonly Spelling RelayGroupBundles = new("bundles", ["add"], ["remove"]);

    /// <summary>Reads the body. On success, the names to add and to remove (synonyms joined, each list possibly empty);
    /// otherwise the answer to send: the body's own read errors, 422 when the envelope is missing, names no known
    /// operation or holds another key, and 422 <c>{"errors": {"add": ["is invalid"]}}</c> for a value that is not a list
    /// of strings.</summary>
    public static async Task<(IReadOnlyList<string> Add, IReadOnlyList<string> Remove, IResult? Error)> ReadAsync(HttpRequest request, Spelling spelling)
    {
        ArgumentNullException.ThrowIfNull(spelling);
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(request, spelling.Kind);
        if (document is null)
            return ([], [], error);
        using (document)
        {
            if (envelope.ValueKind != JsonValueKind.Object)
                return ([], [], ApiResults.Errors(ApiMessages.NoChangeOperation(spelling.Kind, spelling.Expected)));
            var (add, remove) = (new List<string>(), new List<string>());
            var recognised = false;
            foreach (var member in envelope.EnumerateObject())
            {
                var target = spelling.AddKeys.Contains(member.Name) ? add : spelling.RemoveKeys.Contains(member.Name) ? remove : null;
                if (target is null)
                    return ([], [], ApiResults.Errors(ApiMessages.UnknownChangeOperation(spelling.Kind, member.Name, spelling.Expected)));
                recognised = true;
                if (member.Value.ValueKind == JsonValueKind.Null)
                    continue;
                if (member.Value.ValueKind != JsonValueKind.Array || member.Value.EnumerateArray().Any(static e => e.ValueKind != JsonValueKind.String))
                    return ([], [], ApiResults.FieldErrors(new Dictionary<string, string[]> { [member.Name] = [AdminApiMessages.IsInvalid] }));
                target.AddRange(member.Value.EnumerateArray().Select(static e => e.GetString()!));
            }
            return recognised ? (add, remove, null) : ([], [], ApiResults.Errors(ApiMessages.NoChangeOperation(spelling.Kind, spelling.Expected)));
        }
    }
}
