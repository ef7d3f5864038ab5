using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>info</c>: the Cog version, this bundle's version, the manifest version and the instance, with the
/// <c>info</c> template.</summary>
sealed class InfoCommand(BuiltInOptions options) : IBuiltInCommand
{
    /// <summary>The manifest version this release writes (cog_bundle_version).</summary>
    const int BundleConfigVersion = 6;

    public string Name => "info";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Output.Ok(Output.Object(
            ("cog_version", new StringValue(options.CogVersion)),
            ("embedded_bundle_version", new StringValue(call.Version)),
            ("bundle_config_version", new IntValue(BundleConfigVersion)),
            ("dotnet_version", new StringValue(Environment.Version.ToString())),
            ("instance", new StringValue(options.InstanceName))), Name));
}
