using Cog.Runtime.Administration;

namespace Cog.Api.Relays;

/// <summary>Relays and relay groups as the API shows them (never a token or its hash).</summary>
static class RelayJson
{
    /// <summary><c>{"id","name","description","enabled","groups":[{"id","name"}],"inserted_at"}</c>.</summary>
    public static object Relay(RelayDetails details) => new
    {
        id = details.Relay.Id,
        name = details.Relay.Name,
        description = details.Relay.Description,
        enabled = details.Relay.Enabled,
        groups = details.Groups.Select(static g => new { id = g.Id, name = g.Name }).ToList(),
        inserted_at = details.Relay.CreatedAt,
    };

    /// <summary><c>{"id","name","description","relays":[relay…],"bundles":[{"id","name"}],"inserted_at"}</c>; the
    /// relays' <c>groups</c> are left out.</summary>
    public static object Group(RelayGroupDetails details) => new
    {
        id = details.Group.Id,
        name = details.Group.Name,
        description = details.Group.Description,
        relays = details.Relays.Select(static r => RelayInGroup(r)).ToList(),
        bundles = details.Bundles.Select(static b => new { id = b.Id, name = b.Name }).ToList(),
        inserted_at = details.Group.CreatedAt,
    };

    /// <summary>A member relay without its groups.</summary>
    public static object RelayInGroup(Runtime.Relays.RelayRecord relay) => new
    {
        id = relay.Id,
        name = relay.Name,
        description = relay.Description,
        enabled = relay.Enabled,
        inserted_at = relay.CreatedAt,
    };
}
