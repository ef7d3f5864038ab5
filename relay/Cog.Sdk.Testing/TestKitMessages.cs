namespace Cog.Sdk.Testing;

/// <summary>Every message the test kit itself writes (the pipeline's own messages are Cog's).</summary>
static class TestKitMessages
{
    public static string PermissionNotQualified(string? permission) =>
        $"The permission '{permission}' is not fully qualified: write it as bundle:name (e.g. greeter:greet).";

    public static string NotFound(string path) =>
        $"'{path}' is neither a bundle folder (with a config.yaml) nor a bundle package (*.cogbundle).";

    public static string InvalidBundle(string path) => $"The bundle at '{path}' cannot be loaded:";

    public const string DockerNotSupported =
        "Docker bundles are not supported by the test kit: their commands run in containers of the bundle's image on a relay.";

    public const string NameTaken =
        "The bundle is named 'operable', the built-in bundle's name: give it another name.";

    public static string InputNotObjects(string detail) =>
        $"RunOptions.Input must be a JSON object or an array of JSON objects: {detail}";
}
