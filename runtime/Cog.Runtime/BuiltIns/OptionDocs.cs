using Cog.Language.Options;

namespace Cog.Runtime.BuiltIns;

/// <summary>An option of a command, as <c>help</c> shows it.</summary>
/// <param name="Name">The option name, which is its long flag.</param>
/// <param name="Type">Its type (a <c>bool</c> option takes no value in the synopsis).</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="ShortFlag">The one-character flag, if any.</param>
/// <param name="Description">The description, if any.</param>
public sealed record OptionDocs(string Name, OptionType Type, bool Required, string? ShortFlag, string? Description);
