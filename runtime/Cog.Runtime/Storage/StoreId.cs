namespace Cog.Runtime.Storage;

/// <summary>Identifiers as the reference uses them: UUID strings (lower-case, with hyphens).</summary>
public static class StoreId
{
    /// <summary>A new time-ordered UUID (version 7), which keeps index inserts local.</summary>
    public static string New() => Guid.CreateVersion7().ToString();
}
