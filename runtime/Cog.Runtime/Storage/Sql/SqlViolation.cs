namespace Cog.Runtime.Storage.Sql;

/// <summary>A constraint violation a provider reported, as far as the stores care.</summary>
enum SqlViolation
{
    None,
    Unique,
    ForeignKey,
}
