namespace Cog.Runtime.Audit;

/// <summary>Where <see cref="AuditWriter.AppendOrSpoolAsync"/> put the entries.</summary>
public enum AuditDelivery
{
    /// <summary>Committed to the store's audit log.</summary>
    Stored,

    /// <summary>The store was unavailable: durable in the <see cref="AuditSpool"/>, to be written to the store, in
    /// order, when it is back.</summary>
    Spooled,
}
