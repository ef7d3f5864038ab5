namespace Cog.Runtime.Audit;

/// <summary>What to record in the audit log; <see cref="IAuditStore.AppendAsync"/> gives it a sequence number and
/// seals it into the chain (<see cref="AuditRecord"/>).</summary>
/// <param name="Time">When it happened (kept to the microsecond).</param>
/// <param name="Kind">The event kind (<c>pipeline_initialized</c>, <c>command_dispatched</c>, <c>denied</c>, <c>role_created</c>...).</param>
/// <param name="Actor">The Cog username that acted, or <see langword="null"/> (the system).</param>
/// <param name="Command">The command concerned (<c>bundle:command</c>), or <see langword="null"/>.</param>
/// <param name="Outcome">The decision or result (<c>allowed</c>, <c>denied</c>, <c>succeeded</c>...), or <see langword="null"/>.</param>
/// <param name="PayloadJson">The event's details as JSON text (kept byte for byte: it is hashed).</param>
public sealed record AuditEntry(DateTimeOffset Time, string Kind, string? Actor, string? Command, string? Outcome, string PayloadJson);
