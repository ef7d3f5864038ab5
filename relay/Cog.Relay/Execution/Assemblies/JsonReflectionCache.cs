using System.Reflection;

namespace Cog.Relay.Execution.Assemblies;

/// <summary>
/// Flushes System.Text.Json's process-wide reflection caches, which otherwise keep an unloaded bundle's types (and so
/// its whole load context) alive: the emitted member accessors are cached statically and evicted only when later
/// serialization happens to look them up.
/// </summary>
/// <remarks>
/// It calls the handler the runtime itself calls after a hot-reload metadata update
/// (<c>JsonSerializerOptionsUpdateHandler.ClearCache</c>, registered with <c>MetadataUpdateHandlerAttribute</c>). That
/// type is not public API, so it is found by name and a missing one is ignored: unloading then still works, the load
/// context is only collected later. The caches refill on the next serialization.
/// </remarks>
static class JsonReflectionCache
{
    static readonly MethodInfo? ClearCache = typeof(System.Text.Json.JsonSerializer).Assembly
        .GetType("System.Text.Json.JsonSerializerOptionsUpdateHandler")?
        .GetMethod("ClearCache", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(Type[])]);

    /// <summary>Whether the runtime's handler was found (tests pin this, so a runtime that drops it is noticed).</summary>
    public static bool IsAvailable => ClearCache is not null;

    public static void Clear() => ClearCache?.Invoke(null, [null]);
}
