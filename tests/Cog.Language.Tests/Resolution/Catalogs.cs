using System.Text;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Text;

namespace Cog.Language.Tests.Resolution;

/// <summary>Bundle and alias snapshots for the resolution tests.</summary>
static class Catalogs
{
    public static InstalledBundle Enabled(string name, string version, params string[] commands) =>
        new(name, version, commands.Select(c => new BundleCommand(c, [])));

    /// <summary>
    /// operable 0.18.2: echo, raw, rule, rule-create, rule-list, alias-create, seed;
    /// s3 1.0.0: list-buckets, bucket-info; a, b, c: multi; b, c: pair; a, b: rule-dup;
    /// legacy (disabled, had "old" in some version); modern 1.0.0: old; retired (disabled, had "ancient");
    /// upgraded 2.0.0: fresh (its 1.0.0 also had "gone"); greetings 1.0.0: hello.
    /// </summary>
    public static CommandCatalog Commands { get; } = new(
    [
        new InstalledBundle("operable", "0.18.2",
        [
            new BundleCommand("echo", []),
            new BundleCommand("raw", []),
            new BundleCommand("rule", []),
            new BundleCommand("rule-create", [new OptionDefinition("enable", OptionType.Bool)]),
            new BundleCommand("rule-list", []),
            new BundleCommand("alias-create", []),
            new BundleCommand("seed", []),
        ]),
        Enabled("s3", "1.0.0", "list-buckets", "bucket-info"),
        Enabled("a", "1.0.0", "multi", "rule-dup"),
        Enabled("b", "1.0.0", "multi", "pair", "rule-dup"),
        Enabled("c", "1.0.0", "multi", "pair"),
        new InstalledBundle("legacy", null, [], ["old"]),
        Enabled("modern", "1.0.0", "old"),
        new InstalledBundle("retired", null, [], ["ancient"]),
        new InstalledBundle("upgraded", "2.0.0", [new BundleCommand("fresh", [])], ["gone", "fresh"]),
        Enabled("greetings", "1.0.0", "hello"),
    ]);

    /// <summary>Resolves text against <see cref="Commands"/> and the given aliases.</summary>
    public static Result<ResolvedPipeline> Resolve(string text, AliasCatalog? user = null, AliasCatalog? site = null) =>
        CommandResolver.Resolve(Syntax.Parse(text), Commands, user ?? AliasCatalog.Empty, site ?? AliasCatalog.Empty);

    /// <summary>Resolves text and prints the result back: <c>bundle:command args | ... &gt; target</c>.</summary>
    public static string ResolveAndPrint(string text, AliasCatalog? user = null, AliasCatalog? site = null)
    {
        var result = Resolve(text, user, site);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return Print(result.Value);
    }

    /// <summary>Resolves text that must fail and returns the error.</summary>
    public static LanguageError ResolveError(string text, AliasCatalog? user = null, AliasCatalog? site = null)
    {
        var result = Resolve(text, user, site);
        Assert.False(result.Succeeded, result.Succeeded ? Print(result.Value) : null);
        return result.Error;
    }

    public static string Print(ResolvedPipeline pipeline)
    {
        var text = new StringBuilder();
        foreach (var stage in pipeline.Stages)
        {
            text.Append(stage.Join switch { StageJoin.Pipe => " | ", StageJoin.And => " && ", _ => "" });
            text.Append(stage.QualifiedName);
            if (stage.Arguments.Length > 0)
            {
                text.Append(' ').Append(Syntax.Print(stage.Arguments));
            }
        }
        if (pipeline.Redirect is { } redirect)
        {
            text.Append(redirect.IsMulti ? " *> " : " > ").AppendJoin(' ', redirect.Targets.Select(t => t.Text));
        }
        return text.ToString();
    }

    public static AliasCatalog Aliases(params (string Name, string Text)[] aliases) =>
        new(aliases.Select(a => new AliasDefinition(a.Name, a.Text, Syntax.Parse(a.Text))));
}
