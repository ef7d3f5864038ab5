namespace Cog.Runtime.Bundles;

/// <summary>An option of a command version (the option name doubles as long flag).</summary>
/// <param name="Name">The name (<c>--name</c>).</param>
/// <param name="Type">The manifest type: <c>string</c>, <c>int</c>, <c>float</c>, <c>bool</c>, <c>incr</c>, <c>list</c>.</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="ShortFlag">The one-letter flag, or <see langword="null"/>.</param>
/// <param name="Description">Optional.</param>
public sealed record CommandOption(string Name, string Type, bool Required, string? ShortFlag, string? Description);
