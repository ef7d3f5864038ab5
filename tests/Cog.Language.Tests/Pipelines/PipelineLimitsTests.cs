using System.Text;
using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Pipelines;

/// <summary>Every bound of <see cref="PipelineLimits"/>: at the limit the pipeline parses, one past it is a positioned error.</summary>
public class PipelineLimitsTests
{
    static readonly PipelineLimits Limits = PipelineLimits.Default;

    static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    [Fact]
    public void The_defaults_are_the_documented_ones() =>
        Assert.Equal((65_536, 256, 10_000, 1_000, 32),
            (Limits.MaxTextLength, Limits.MaxStages, Limits.MaxArguments, Limits.MaxVariableReferences, Limits.MaxVariablePathLength));

    [Fact]
    public void Half_a_million_arguments_are_refused_at_the_first_character_past_the_text_limit()
    {
        var text = "echo" + Repeat(" a", 520_000);
        Parsing.FailsWith(text, "The pipeline is 1,040,004 characters long; the limit is 65,536.", 1, 65_537);
    }

    [Fact]
    public void Text_at_the_length_limit_parses()
    {
        var text = "echo \"" + new string('a', Limits.MaxTextLength - 7) + "\"";
        Assert.Equal(Limits.MaxTextLength, text.Length);
        Assert.Single(Parsing.Succeeds(text).Stages);
    }

    [Fact]
    public void The_text_limit_counts_lines_in_its_position() =>
        Parsing.FailsWith("echo\n" + new string('a', Limits.MaxTextLength), "The pipeline is 65,541 characters long; the limit is 65,536.", 2, 65_532);

    [Fact]
    public void Stages_up_to_the_limit_parse_and_the_next_one_is_refused_at_its_name()
    {
        var atLimit = string.Join(" | ", Enumerable.Repeat("echo", Limits.MaxStages));
        Assert.Equal(Limits.MaxStages, Parsing.Succeeds(atLimit).Stages.Length);
        Parsing.FailsWith(atLimit + " && sort", "Too many commands in one pipeline; the limit is 256.", 1, atLimit.Length + 5);
    }

    [Fact]
    public void Arguments_of_all_stages_count_together_and_the_first_past_the_limit_is_refused()
    {
        var half = "echo" + Repeat(" a", Limits.MaxArguments / 2);
        var atLimit = half + " | " + half;
        Assert.Equal(Limits.MaxArguments, Parsing.Succeeds(atLimit).Stages.Sum(s => s.Arguments.Length));
        Parsing.FailsWith(atLimit + " --n=3 b", "Too many arguments in one pipeline; the limit is 10,000.", 1, atLimit.Length + 2);
    }

    [Fact]
    public void An_option_and_the_value_it_takes_from_the_next_word_are_one_argument()
    {
        var atLimit = "echo" + Repeat(" a", Limits.MaxArguments - 1) + " --n= 3";
        Assert.Equal(Limits.MaxArguments, Parsing.Succeeds(atLimit).Stages[0].Arguments.Length);
    }

    [Fact]
    public void Interpolations_up_to_the_limit_parse_and_the_next_one_is_refused_where_it_starts()
    {
        var atLimit = "echo \"" + Repeat("${a}", Limits.MaxVariableReferences) + "\"";
        var argument = Assert.IsType<InterpolatedArgument>(Parsing.Succeeds(atLimit).Stages[0].Arguments[0]);
        Assert.Equal(Limits.MaxVariableReferences, argument.Parts.Length);
        var over = "echo \"" + Repeat("${a}", 2 * Limits.MaxVariableReferences) + "\"";
        Parsing.FailsWith(over, "Too many variable references in one pipeline; the limit is 1,000.", 1, 7 + 4 * Limits.MaxVariableReferences);
    }

    [Fact]
    public void Variable_arguments_and_interpolations_count_together()
    {
        var atLimit = "echo" + Repeat(" $a", Limits.MaxVariableReferences - 1) + " \"${b}\"";
        Parsing.Succeeds(atLimit);
        Parsing.FailsWith(atLimit + " --x=$c", "Too many variable references in one pipeline; the limit is 1,000.", 1, atLimit.Length + 6);
    }

    [Fact]
    public void Variable_paths_up_to_the_limit_parse_and_the_next_accessor_is_refused()
    {
        var atLimit = "$a" + Repeat(".k", Limits.MaxVariablePathLength - 1) + "[0]";
        var variable = Assert.IsType<VariableArgument>(Parsing.Succeeds("echo " + atLimit).Stages[0].Arguments[0]);
        Assert.Equal(Limits.MaxVariablePathLength, variable.Variable.Path.Length);
        Parsing.FailsWith("echo " + atLimit + "['k']", "The path of variable '$a' is too long; the limit is 32 keys and indexes.", 1, 6 + atLimit.Length);
        Parsing.FailsWith("echo \"x ${" + atLimit[1..] + ".k}\"", "The path of variable '$a' is too long; the limit is 32 keys and indexes.", 1, 10 + atLimit.Length);
        Assert.False(VariableSyntaxParser.Parse(atLimit + ".k").Succeeded);
    }

    [Fact]
    public void Other_limits_can_be_given()
    {
        var small = new PipelineLimits { MaxTextLength = 10, MaxStages = 2 };
        Assert.True(PipelineParser.Parse("echo a b c", small, TestContext.Current.CancellationToken).Succeeded);
        Assert.Equal("The pipeline is 11 characters long; the limit is 10.", PipelineParser.Parse("echo a b cd", small, TestContext.Current.CancellationToken).Error?.Message);
        Assert.Equal("Too many commands in one pipeline; the limit is 2.", PipelineParser.Parse("a | b | c", small, TestContext.Current.CancellationToken).Error?.Message);
    }

    [Fact]
    public void A_cancelled_parse_stops_with_the_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => PipelineParser.Parse("echo a | echo b", Limits, cancelled.Token));
    }
}
