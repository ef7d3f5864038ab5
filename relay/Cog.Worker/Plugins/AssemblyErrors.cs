namespace Cog.Worker.Plugins;

/// <summary>The messages of the plugin-assembly engine (pinned by tests).</summary>
static class AssemblyErrors
{
    public static string NoAssembly(string bundle) =>
        $"The bundle '{bundle}' names no plugin assembly: a 'type' command needs the manifest's 'assembly'.";

    public static string AssemblyNotFound(string assembly) =>
        $"The bundle's plugin assembly '{assembly}' was not found in the bundle folder.";

    public static string AssemblyNotLoaded(string assembly, string reason) =>
        $"The bundle's plugin assembly '{assembly}' could not be loaded: {reason}";

    public static string TypeNotFound(string type, string assembly) =>
        $"The type '{type}' was not found in the bundle's plugin assembly '{assembly}'.";

    public static string TypeNotLoaded(string type, string reason) =>
        $"The type '{type}' could not be loaded: {reason}";

    public static string TypeNotPublic(string type) =>
        $"The type '{type}' must be public to be a command.";

    public static string TypeNotConcrete(string type) =>
        $"The type '{type}' must be a class that is neither abstract nor generic to be a command.";

    public static string TypeNotACommand(string type) =>
        $"The type '{type}' does not implement Cog.Sdk.ICommand.";

    public static string TypeUsesOwnSdk(string type) =>
        $"The type '{type}' implements Cog.Sdk.ICommand from the bundle's own copy of Cog.Sdk; reference Cog.Sdk "
        + "compile-only (Private=\"false\" ExcludeAssets=\"runtime\") so that the worker's copy is used.";

    public static string NoParameterlessConstructor(string type) =>
        $"The type '{type}' must have a public parameterless constructor: the worker creates one instance per invocation.";

    public static string NullTask(string type) =>
        $"The command '{type}' returned no task from ExecuteAsync.";

    public static string NullResult(string type) =>
        $"The command '{type}' returned no result: ExecuteAsync must complete with a CommandResult.";
}
