using System.Text;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

/// <summary>The stage and argument limits hold after alias expansion, which can multiply what the user wrote.</summary>
public class ResolutionLimitsTests
{
    static readonly PipelineLimits Limits = PipelineLimits.Default;

    [Fact]
    public void Aliases_that_expand_past_the_stage_limit_are_refused_at_the_users_stage()
    {
        var hundred = string.Join(" | ", Enumerable.Repeat("echo", 100));
        var user = Aliases(("many", hundred));
        Assert.Equal(200, Resolve("many | many", user).Value.Stages.Length);
        var error = ResolveError("many | many | many", user);
        Assert.Equal("Too many commands in one pipeline after expanding aliases; the limit is 256.", error.Message);
        Assert.Equal(15, error.Position.Column);
    }

    [Fact]
    public void Nested_aliases_cannot_multiply_stages_without_bound()
    {
        var ten = string.Join(" | ", Enumerable.Repeat("echo", 10));
        var user = Aliases(("x1", ten), ("x2", ten.Replace("echo", "x1", StringComparison.Ordinal)),
            ("x3", ten.Replace("echo", "x2", StringComparison.Ordinal)), ("x4", ten.Replace("echo", "x3", StringComparison.Ordinal)));
        Assert.Equal(100, Resolve("x2", user).Value.Stages.Length);
        Assert.Equal("Too many commands in one pipeline after expanding aliases; the limit is 256.", ResolveError("x4", user).Message);
    }

    [Fact]
    public void Aliases_that_expand_past_the_argument_limit_are_refused_at_the_users_stage()
    {
        var wide = "echo" + new StringBuilder().Insert(0, " a", 4_000);
        var user = Aliases(("wide", wide));
        Assert.Equal(8_000, Resolve("wide | wide", user).Value.Stages.Sum(s => s.Arguments.Length));
        var error = ResolveError("wide | wide | wide", user);
        Assert.Equal("Too many arguments in one pipeline after expanding aliases; the limit is 10,000.", error.Message);
        Assert.Equal(15, error.Position.Column);
    }

    [Fact]
    public void A_stage_of_many_words_resolves_to_the_command_with_all_of_them()
    {
        var text = "echo" + new StringBuilder().Insert(0, " a", Limits.MaxArguments);
        var stage = Assert.Single(Resolve(text).Value.Stages);
        Assert.Equal(("operable:echo", Limits.MaxArguments), (stage.QualifiedName, stage.Arguments.Length));
    }

    [Fact]
    public void A_cancelled_resolution_stops_with_the_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => CommandResolver.Resolve(Syntax.Parse("echo a"), Commands, AliasCatalog.Empty,
            AliasCatalog.Empty, Limits, cancelled.Token));
    }
}
