namespace Cog.Language.Resolution;

/// <summary>What a name refers to, as the <c>which</c> command reports it.</summary>
/// <param name="Kind">User alias, site alias, command, or nothing.</param>
/// <param name="Alias">The alias when <paramref name="Kind"/> is an alias kind; otherwise <see langword="null"/>.</param>
/// <param name="Bundles">When <paramref name="Kind"/> is <see cref="WhichKind.Command"/>: the installed bundles
/// (enabled or not) with a command of that name in any version, sorted by name; several mean an unqualified use
/// is ambiguous. Empty otherwise.</param>
public sealed record WhichResult(WhichKind Kind, AliasDefinition? Alias, IReadOnlyList<InstalledBundle> Bundles);
