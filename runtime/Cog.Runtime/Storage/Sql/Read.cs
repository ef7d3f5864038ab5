using System.Data.Common;
using Cog.Runtime.Audit;

namespace Cog.Runtime.Storage.Sql;

/// <summary>Column readers that behave the same on both providers (SQLite integers, PostgreSQL booleans).</summary>
static class Read
{
    public static string Text(DbDataReader reader, int ordinal) => reader.GetString(ordinal);

    public static string? NullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static bool Bool(DbDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        bool b => b,
        var other => Convert.ToInt64(other, System.Globalization.CultureInfo.InvariantCulture) != 0,
    };

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) => AuditChain.FromMicroseconds(Long(reader, ordinal));

    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    public static long Micros(DateTimeOffset time) => AuditChain.ToMicroseconds(time);

    /// <summary>A time as it reads back: UTC, to the microsecond.</summary>
    public static DateTimeOffset Round(DateTimeOffset time) => AuditChain.FromMicroseconds(AuditChain.ToMicroseconds(time));

    public static DateTimeOffset? Round(DateTimeOffset? time) => time is { } t ? Round(t) : null;
}
