using System.Collections.Immutable;
using Cog.Language.Options;

namespace Cog.Manifest;

/// <summary>One command of a bundle manifest.</summary>
/// <param name="Name">The command name (the key under <c>commands</c>).</param>
/// <param name="Kind">How the relay runs it.</param>
/// <param name="Target">
/// What runs: the executable path, the script path relative to the bundle folder, the fully qualified type name, or
/// (built-in commands) the command's own name.
/// </param>
/// <param name="Rules">The access rules, each starting with <c>when command is bundle:command</c> (prefix added when omitted).</param>
/// <param name="Description">The one-line description, if given.</param>
/// <param name="LongDescription">The help text, if given.</param>
/// <param name="Examples">Usage examples, if given.</param>
/// <param name="Notes">Notes, if given.</param>
/// <param name="Arguments">The argument synopsis (<c>&lt;message&gt;</c>), if given.</param>
/// <param name="Output">Documentation of the output, if given.</param>
/// <param name="EnvironmentVariables">Extra environment for the command (numbers and booleans as text).</param>
/// <param name="Options">The options, in manifest order.</param>
/// <param name="OptionDescriptions">Option descriptions by option name (only options that have one).</param>
/// <param name="Timeout">How long one invocation may run (version 6), or <see langword="null"/> for the relay's default.</param>
/// <param name="Subcommands">Documented sub-commands (version 4 only): name to description.</param>
public sealed record CommandManifest(
    string Name,
    CommandKind Kind,
    string Target,
    ImmutableArray<string> Rules,
    string? Description,
    string? LongDescription,
    string? Examples,
    string? Notes,
    string? Arguments,
    CommandOutputDocs? Output,
    ImmutableDictionary<string, string> EnvironmentVariables,
    ImmutableArray<OptionDefinition> Options,
    ImmutableDictionary<string, string> OptionDescriptions,
    TimeSpan? Timeout,
    ImmutableDictionary<string, string> Subcommands);

/// <summary>How a relay runs a command.</summary>
public enum CommandKind
{
    /// <summary>A program on the relay host (<c>executable</c>), with Cog 1.0's environment, stdin and stdout protocol.</summary>
    Executable,

    /// <summary>A C# script in the bundle (<c>script</c>, version 6).</summary>
    Script,

    /// <summary>A class in the bundle's plugin assembly (<c>type</c>, version 6).</summary>
    Type,

    /// <summary>Code in the Cog server itself (<c>builtin: true</c>, version 6): only Cog's own <c>operable</c> bundle has
    /// such commands, and no relay ever runs them.</summary>
    BuiltIn,
}

/// <summary>Documentation of a command's output.</summary>
/// <param name="Description">What the output is, if given.</param>
/// <param name="Example">An example, if given.</param>
public sealed record CommandOutputDocs(string? Description, string? Example);
