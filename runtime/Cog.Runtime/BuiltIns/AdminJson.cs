using System.Collections.Immutable;
using System.Text.Json;
using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Relays;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.BuiltIns;

/// <summary>The items of the administrative commands: the REST API's entities (api-contract.md), snake_case, with the
/// same fields, so one template renders what either shows. Tokens, token hashes and passwords never appear.</summary>
static class AdminJson
{
    /// <summary><c>{"id","username","first_name","last_name","email_address","groups":[{"id","name"}],"chat_handles":[…]}</c>.</summary>
    public static ObjectValue User(UserDetails details) => Output.Object(
        ("id", Text(details.User.Id)),
        ("username", Text(details.User.Username)),
        ("first_name", Text(details.User.FirstName)),
        ("last_name", Text(details.User.LastName)),
        ("email_address", Text(details.User.EmailAddress)),
        ("groups", List(details.Groups, static g => Named(g.Id, g.Name))),
        ("chat_handles", List(details.ChatHandles, h => ChatHandle(h, details.User.Username))));

    /// <summary><c>{"id","handle","chat_provider":{"name"},"user":{"id","username"},"chat_provider_user_id"}</c>.</summary>
    public static ObjectValue ChatHandle(ChatHandle handle, string username) => Output.Object(
        ("id", Text(handle.Id)),
        ("handle", Text(handle.Handle)),
        ("chat_provider", Output.Object(("name", Text(handle.Provider)))),
        ("user", Output.Object(("id", Text(handle.UserId)), ("username", Text(username)))),
        ("chat_provider_user_id", Text(handle.ProviderUserId)));

    /// <summary><c>{"id","name","members":{"users":[member…],"roles":[{"id","name"}]},"roles":[{"id","name"}]}</c>.</summary>
    public static ObjectValue Group(GroupDetails details)
    {
        var roles = List(details.Roles, static r => Named(r.Id, r.Name));
        return Output.Object(
            ("id", Text(details.Group.Id)),
            ("name", Text(details.Group.Name)),
            ("members", Output.Object(("users", List(details.Members, Member)), ("roles", roles))),
            ("roles", roles));
    }

    /// <summary>A group member: <c>{"id","username","first_name","last_name","email_address"}</c>.</summary>
    public static ObjectValue Member(User user) => Output.Object(
        ("id", Text(user.Id)),
        ("username", Text(user.Username)),
        ("first_name", Text(user.FirstName)),
        ("last_name", Text(user.LastName)),
        ("email_address", Text(user.EmailAddress)));

    /// <summary><c>{"id","name","permissions":[permission…],"groups":[{"id","name"}]}</c>.</summary>
    public static ObjectValue Role(RoleDetails details) => Output.Object(
        ("id", Text(details.Role.Id)),
        ("name", Text(details.Role.Name)),
        ("permissions", List(details.Permissions, Permission)),
        ("groups", List(details.Groups, static g => Named(g.Id, g.Name))));

    /// <summary><c>{"id","name","bundle"}</c>; <c>bundle</c> is the namespace (a bundle name or <c>site</c>).</summary>
    public static ObjectValue Permission(Permission permission) => Output.Object(
        ("id", Text(permission.Id)),
        ("name", Text(permission.Name)),
        ("bundle", Text(permission.Namespace)));

    /// <summary><c>{"id","rule","command"}</c>.</summary>
    public static ObjectValue Rule(RuleRecord rule, string command) => Output.Object(
        ("id", Text(rule.Id)),
        ("rule", Text(rule.Text)),
        ("command", Text(command)));

    /// <summary><c>{"id","name","enabled_version","versions","relay_groups","inserted_at"}</c>; versions are summaries.</summary>
    public static ObjectValue Bundle(BundleDetails details) => Output.Object(
        ("id", Text(details.Bundle.Id)),
        ("name", Text(details.Bundle.Name)),
        ("enabled_version", details.EnabledVersion is { } enabled ? Version(enabled, details.Bundle.Name) : NullValue.Instance),
        ("versions", List(details.Versions, v => Version(v, details.Bundle.Name))),
        ("relay_groups", List(details.RelayGroups, static g => Named(g.Id, g.Name))),
        ("inserted_at", Time(details.Bundle.InstalledAt)));

    /// <summary>A version summary: <c>{"id","bundle_id","name","version","description","enabled","inserted_at"}</c>.</summary>
    public static ObjectValue Version(BundleVersion version, string bundleName) => Output.Object(
        ("id", Text(version.Id)),
        ("bundle_id", Text(version.BundleId)),
        ("name", Text(bundleName)),
        ("version", Text(version.Version)),
        ("description", Text(version.Description)),
        ("enabled", Bool(version.Enabled)),
        ("inserted_at", Time(version.InstalledAt)));

    /// <summary><c>{"id","name","description","enabled","groups":[{"id","name"}],"inserted_at"}</c> (never the token).</summary>
    public static ObjectValue Relay(RelayDetails details) => Relay(details, live: null);

    /// <summary><see cref="Relay(RelayDetails)"/>, then <c>"isolation":[{"name","available","detail"}]</c> when the relay's
    /// live status reports how it confines bundle code, and <c>"problems":[{"kind","bundle","version","message"}]</c> when
    /// what it announced differs from what it was assigned (<see cref="RelayHealth.Problems"/>).</summary>
    public static ObjectValue Relay(RelayDetails details, RelayHealth? live)
    {
        List<(string, Value)> fields =
        [
            ("id", Text(details.Relay.Id)),
            ("name", Text(details.Relay.Name)),
            ("description", Text(details.Relay.Description)),
            ("enabled", Bool(details.Relay.Enabled)),
            ("groups", List(details.Groups, static g => Named(g.Id, g.Name))),
            ("inserted_at", Time(details.Relay.CreatedAt)),
        ];
        if (live?.Live.Isolation is { } isolation)
            fields.Add(("isolation", List(isolation, static m => Output.Object(
                ("name", Text(m.Name)), ("available", Bool(m.Available)), ("detail", Text(m.Detail))))));
        if (live is { Problems.IsEmpty: false } problems)
            fields.Add(("problems", List(problems.Problems, static p => Output.Object(
                ("kind", Text(p.Code)), ("bundle", Text(p.Bundle)), ("version", Text(p.Version)), ("message", Text(p.Message))))));
        return Output.Object([.. fields]);
    }

    /// <summary><c>{"id","name","description","relays":[relay without groups…],"bundles":[{"id","name"}],"inserted_at"}</c>.</summary>
    public static ObjectValue RelayGroup(RelayGroupDetails details) => Output.Object(
        ("id", Text(details.Group.Id)),
        ("name", Text(details.Group.Name)),
        ("description", Text(details.Group.Description)),
        ("relays", List(details.Relays, static r => Output.Object(
            ("id", Text(r.Id)),
            ("name", Text(r.Name)),
            ("description", Text(r.Description)),
            ("enabled", Bool(r.Enabled)),
            ("inserted_at", Time(r.CreatedAt))))),
        ("bundles", List(details.Bundles, static b => Named(b.Id, b.Name))),
        ("inserted_at", Time(details.Group.CreatedAt)));

    /// <summary><c>{"id","name","pipeline","description","as_user","timeout_sec","enabled","allow_cross_origin","invocation_url"}</c>.</summary>
    public static ObjectValue Trigger(Trigger trigger, Uri? urlBase) => Output.Object(
        ("id", Text(trigger.Id)),
        ("name", Text(trigger.Name)),
        ("pipeline", Text(trigger.Pipeline)),
        ("description", Text(trigger.Description)),
        ("as_user", Text(trigger.AsUser)),
        ("timeout_sec", new IntValue(trigger.TimeoutSeconds)),
        ("enabled", Bool(trigger.Enabled)),
        ("allow_cross_origin", Bool(trigger.AllowCrossOrigin)),
        ("invocation_url", Text($"{urlBase?.ToString().TrimEnd('/')}/v1/triggers/{trigger.Id}")));

    static ObjectValue Named(string id, string name) => Output.Object(("id", Text(id)), ("name", Text(name)));

    static Value Text(string? text) => text is null ? NullValue.Instance : new StringValue(text);

    static Value Bool(bool flag) => flag ? BoolValue.True : BoolValue.False;

    /// <summary>As System.Text.Json writes a <see cref="DateTimeOffset"/> (the API's format).</summary>
    static Value Time(DateTimeOffset time) => new StringValue(JsonSerializer.Serialize(time).Trim('"'));

    static ListValue List<T>(IReadOnlyList<T> items, Func<T, Value> map)
    {
        var builder = ImmutableArray.CreateBuilder<Value>(items.Count);
        foreach (var item in items)
            builder.Add(map(item));
        return new ListValue(builder.MoveToImmutable());
    }
}
