using Cog.Language.Resolution;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

/// <summary>The expansion stack, modelled on piper's tests (<c>test/expansion_test.exs</c>).</summary>
public class ExpansionLimitTests
{
    static readonly AliasCatalog User = Aliases(
        ("one", "hello"),
        ("two", "one"),
        ("three", "two"),
        ("four", "three"),
        ("five", "four"),
        ("seven", "seven"),
        ("night", "mare"),
        ("mare", "hello | night"),
        ("alpha", "beta"),
        ("beta", "gamma"),
        ("gamma", "alpha"),
        ("ping", "pong"),
        ("pong", "ping"),
        ("outer", "selfish"),
        ("selfish", "selfish"),
        ("deep", "three create x"),
        ("deeper", "four create x"));

    [Fact]
    public void Chain_of_four_aliases_ending_in_a_command_resolves() =>
        Assert.Equal(
            "greetings:hello | greetings:hello | greetings:hello | greetings:hello",
            ResolveAndPrint("four | three | one | four", User));

    [Fact]
    public void Chain_of_five_aliases_exceeds_the_limit() =>
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'five'.", ResolveError("five", User).Message);

    [Fact]
    public void Self_referencing_alias_exceeds_the_limit() =>
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'seven'.", ResolveError("seven", User).Message);

    [Fact]
    public void Two_aliases_referring_to_each_other_are_a_loop() =>
        Assert.Equal("Infinite alias expansion loop detected 'pong' -> 'ping'.", ResolveError("ping", User).Message);

    [Fact]
    public void Loop_through_another_stage_is_detected() =>
        Assert.Equal("Infinite alias expansion loop detected 'mare' -> 'night'.", ResolveError("night", User).Message);

    [Fact]
    public void Wide_loop_names_the_least_and_the_most_frequent_alias() =>
        Assert.Equal("Infinite alias expansion loop detected 'gamma' -> 'alpha'.", ResolveError("hello | alpha", User).Message);

    [Fact]
    public void Self_reference_nested_in_another_alias_exceeds_the_limit_from_the_outermost() =>
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'outer'.", ResolveError("outer", User).Message);

    [Fact]
    public void Sub_command_candidates_are_resolved_at_the_depth_of_their_stage()
    {
        // deep -> three -> two -> one -> hello is five names; the candidates three-create-x and three-create
        // each stand alone at depth 2, so the chain still fits.
        Assert.Equal("greetings:hello create x", ResolveAndPrint("deep", User));
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'deeper'.", ResolveError("deeper", User).Message);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(8, false)]
    public void Alias_chains_may_be_four_deep(int depth, bool resolves)
    {
        // a1 -> a2 -> ... -> aN -> echo
        var aliases = Aliases([.. Enumerable.Range(1, depth).Select(i => ($"a{i}", i == depth ? "echo end" : $"a{i + 1}"))]);
        var result = Resolve("a1", aliases);
        Assert.Equal(resolves, result.Succeeded);
        if (!resolves)
        {
            Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'a1'.", result.Error?.Message);
        }
    }

    [Theory]
    [InlineData(1, "Alias expansion limit (5) exceeded starting with alias 'a1'.")]
    [InlineData(2, "Infinite alias expansion loop detected 'a2' -> 'a1'.")]
    [InlineData(3, "Infinite alias expansion loop detected 'a3' -> 'a1'.")]
    [InlineData(4, "Infinite alias expansion loop detected 'a2' -> 'a1'.")]
    [InlineData(5, "Alias expansion limit (5) exceeded starting with alias 'a1'.")]
    [InlineData(6, "Alias expansion limit (5) exceeded starting with alias 'a1'.")]
    public void Alias_cycles_give_the_message_of_the_original(int length, string message)
    {
        // a1 -> a2 -> ... -> aN -> a1
        var aliases = Aliases([.. Enumerable.Range(1, length).Select(i => ($"a{i}", i == length ? "a1" : $"a{i + 1}"))]);
        Assert.Equal(message, ResolveError("a1", aliases).Message);
    }

    [Fact]
    public void Limit_error_is_positioned_at_the_users_stage()
    {
        const string text = "echo | five";
        Assert.Equal(7, ResolveError(text, User).Position.Offset);
    }

    [Fact]
    public void Stages_resolved_one_after_another_do_not_add_up() =>
        Assert.Equal(
            "greetings:hello | greetings:hello | greetings:hello | greetings:hello | greetings:hello | greetings:hello",
            ResolveAndPrint("four | four | four | four | four | four", User));
}
