using Cog.Manifest;
using Cog.Sdk;

namespace Cog.Relay.Execution;

/// <summary>One invocation as an engine receives it: what to run, and the context to run it in.</summary>
/// <param name="Context">The SDK context handed to scripts and plugin types (arguments, options, input, caller...).</param>
/// <param name="Command">The command's manifest entry: its kind, target, options and environment.</param>
/// <param name="BundleDirectory">The folder the bundle version was unpacked to (scripts, assemblies and relative
/// executables are found here).</param>
/// <param name="Services">The pipeline service endpoint for executables (Cog 1.0's <c>COG_SERVICES_ROOT</c> and
/// <c>COG_SERVICE_TOKEN</c>), or <see langword="null"/> when none is offered.</param>
/// <param name="Image">The image of a Docker bundle (its commands run in containers of it), or <see langword="null"/>.</param>
sealed record CommandInvocation(CommandContext Context, CommandManifest Command, string BundleDirectory, ServiceEndpoint? Services = null,
    DockerImage? Image = null);

/// <summary>Where an executable reaches the pipeline services, and the token it must present.</summary>
sealed record ServiceEndpoint(Uri Root, string Token);
