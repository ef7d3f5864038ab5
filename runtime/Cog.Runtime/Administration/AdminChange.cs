namespace Cog.Runtime.Administration;

/// <summary>One audited administrative change: the <see cref="AdminAudit"/> record's kind, subject and details.</summary>
/// <param name="Kind"><c>&lt;entity&gt;.&lt;verb&gt;</c>.</param>
/// <param name="Subject"><c>&lt;entity&gt;:&lt;name&gt;</c>.</param>
/// <param name="Details">Further facts, never secrets.</param>
readonly record struct AdminChange(string Kind, string Subject, IReadOnlyDictionary<string, string?>? Details = null);
