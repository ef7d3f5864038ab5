using Cog.Contracts.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.Relays;

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

    /// <summary>A relay with what this server knows of it live (our addition, for <c>GET /v1/relays[/:id]</c>):
    /// <c>"status": {"state","instance_id","relay_version","tags","capacity","load","in_flight","bundles":[{"name","version"}],
    /// "failures":[{"name","version","message"}],"problems":[{"kind","bundle","version","message"}],"status_at","announced_at",
    /// "isolation":[{"name","available","detail"}]}</c>, or <c>null</c> when it never reported. <c>bundles</c> are the
    /// versions it serves (announced with the digest it was assigned: the only ones invocations are routed to it for);
    /// <c>problems</c> each difference between its announcement and its assignments (<c>kind</c>: <c>digest_mismatch</c>,
    /// <c>version_mismatch</c>, <c>not_announced</c>, <c>not_assigned</c>); <c>isolation</c> is <c>null</c> for a relay
    /// that does not report it.</summary>
    public static object RelayWithStatus(RelayDetails details, RelayHealth? health) => new
    {
        id = details.Relay.Id,
        name = details.Relay.Name,
        description = details.Relay.Description,
        enabled = details.Relay.Enabled,
        groups = details.Groups.Select(static g => new { id = g.Id, name = g.Name }).ToList(),
        inserted_at = details.Relay.CreatedAt,
        status = health?.Live is not { } status ? null : new
        {
            state = status.State == RelayState.Online ? "online" : "offline",
            instance_id = status.InstanceId,
            relay_version = status.RelayVersion,
            tags = status.Tags,
            capacity = status.Capacity,
            load = status.Load,
            in_flight = status.InFlight,
            bundles = health.Served.Select(static b => new { name = b.Name, version = b.Version }).ToList(),
            failures = status.Failures.Select(static f => new { name = f.Name, version = f.Version, message = f.Message }).ToList(),
            problems = health.Problems.Select(static p => new { kind = p.Code, bundle = p.Bundle, version = p.Version, message = p.Message })
                .ToList(),
            status_at = status.StatusAt,
            announced_at = status.AnnouncedAt,
            isolation = status.Isolation?.Select(static m => new { name = m.Name, available = m.Available, detail = m.Detail }).ToList(),
        },
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
