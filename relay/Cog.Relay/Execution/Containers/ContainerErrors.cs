namespace Cog.Relay.Execution.Containers;

/// <summary>The messages of the container engine (pinned by tests): the refusals announced for a Docker bundle the relay
/// cannot run, and the errors of one invocation. The command's own failures read as an executable's
/// (<see cref="Executables.ExecutableErrors"/>).</summary>
static class ContainerErrors
{
    /// <summary>The relay has no container engine configured (announced as the bundle version's failure).</summary>
    public static string NoEngine(string bundle, string image) =>
        $"The bundle '{bundle}' is a Docker bundle (image {image}); this relay has no container engine configured "
        + "(sandbox:container_engine, --sandbox-container-engine or COG_RELAY_SANDBOX__CONTAINER_ENGINE: the Docker or Podman API socket), "
        + "so it does not run it. Its executables are paths inside the image, not on this host.";

    /// <summary>The engine's socket does not answer.</summary>
    public static string EngineUnreachable(string socket, string reason) =>
        $"The container engine at {socket} did not answer: {reason}";

    /// <summary>The image is neither on the engine nor pullable.</summary>
    public static string ImageMissing(string image, string reason) =>
        $"The container engine has no image {image} and could not pull it: {reason}";

    /// <summary>A manifest bind names a host folder the relay does not let the bundle write to.</summary>
    public static string BindNotWritable(string bundle, string bind) =>
        $"The bundle '{bundle}' asks for the Docker bind '{bind}'; its host folder is not one of the relay's "
        + $"sandbox:writable:{bundle} folders, so the relay does not mount it.";

    /// <summary>A Docker bundle's executable must be a path inside the image.</summary>
    public static string RelativeExecutable(string path) =>
        $"The executable '{path}' of a Docker bundle must be an absolute path inside its image.";

    /// <summary>The engine refused to create or attach to the container.</summary>
    public static string CouldNotStart(string path, string image, string reason) =>
        $"The executable '{path}' could not be started in a container of {image}: {reason}";

    /// <summary>The engine failed while the container ran.</summary>
    public static string Failed(string path, string image, string reason) =>
        $"The container of {image} running '{path}' failed: {reason}";

    /// <summary>The container could not be removed after its command (logged for the operator).</summary>
    public static string NotRemoved(string id, string reason) =>
        $"The container {id} could not be removed: {reason}";
}
