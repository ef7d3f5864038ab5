using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Administration;

/// <summary>A command as one bundle version defines it, with the rules that apply to it under that version.</summary>
/// <param name="Id">The command's (un-versioned) id.</param>
/// <param name="Name">The command's name.</param>
/// <param name="Description">The manifest's description.</param>
/// <param name="Options">The options, in manifest order.</param>
/// <param name="Rules">The enabled rules linked to this version or to the site version.</param>
public sealed record CommandDetails(string Id, string Name, string? Description, IReadOnlyList<CommandOption> Options, IReadOnlyList<RuleRecord> Rules);
