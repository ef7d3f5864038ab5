using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Pipelines;

public class PipelineParserTests
{
    static PipelineSyntax Parsed(string text)
    {
        var result = PipelineParser.Parse(text);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Value;
    }

    [Fact]
    public void Example_pipeline_has_three_stages_and_a_redirect()
    {
        var p = Parsed("echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops");
        Assert.Equal(3, p.Stages.Length);
        Assert.Equal("echo", p.Stages[0].Command.Name);
        var option = Assert.IsType<OptionArgument>(p.Stages[0].Arguments[0]);
        Assert.Equal("n", option.Name);
        Assert.True(option.IsLong);
        Assert.Equal(3, Assert.IsType<IntegerArgument>(option.Value).Number);
        Assert.Equal("foo bar", Assert.IsType<StringArgument>(p.Stages[0].Arguments[1]).Text);
        var variable = Assert.IsType<VariableArgument>(p.Stages[0].Arguments[2]);
        Assert.Equal("$x[0]", variable.Variable.Text);
        Assert.Equal(StageJoin.Pipe, p.Stages[1].Join);
        Assert.NotNull(p.Redirect);
        Assert.Equal("#ops", p.Redirect.Targets[0].Text);
    }
}
