namespace Cog.Runtime.Audit;

/// <summary>A filter and page for <see cref="IAuditStore.ListAsync"/>; <see langword="null"/> fields do not filter.</summary>
/// <param name="Actor">Only this username's records.</param>
/// <param name="Command">Only this command's records: the command text itself, or invocations of it (the text followed
/// by a space and arguments) — <c>bundle:command</c> finds every invocation of that command.</param>
/// <param name="Outcome">Only this outcome.</param>
/// <param name="Kind">Only this kind.</param>
/// <param name="From">Only records at or after this time.</param>
/// <param name="To">Only records before this time.</param>
/// <param name="AfterSequence">Paging: only records after this sequence number.</param>
/// <param name="Limit">At most this many records (1 to 10,000).</param>
/// <param name="BeforeSequence">Paging backwards: only records before this sequence number.</param>
/// <param name="NewestFirst">Lists the newest matching records first (descending sequence) instead of the oldest.</param>
public sealed record AuditQuery(
    string? Actor = null, string? Command = null, string? Outcome = null, string? Kind = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, long AfterSequence = 0, int Limit = 100, long? BeforeSequence = null, bool NewestFirst = false);
