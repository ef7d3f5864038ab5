using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Tests.Pipelines;

/// <summary>Shortcuts for tests that parse pipelines.</summary>
static class Parsing
{
    public static PipelineSyntax Succeeds(string text)
    {
        var result = PipelineParser.Parse(text);
        Assert.True(result.Succeeded, $"'{text}' failed: {result.Error}");
        return result.Value;
    }

    public static LanguageError Fails(string text)
    {
        var result = PipelineParser.Parse(text);
        Assert.False(result.Succeeded, $"'{text}' parsed as {(result.Succeeded ? SyntaxShape.Of(result.Value) : "")}");
        return result.Error;
    }

    /// <summary>Asserts the message and the 1-based line and column of the error for <paramref name="text"/>.</summary>
    public static void FailsWith(string text, string message, int line, int column)
    {
        var error = Fails(text);
        Assert.Equal(message, error.Message);
        Assert.Equal((line, column), (error.Position.Line, error.Position.Column));
        Assert.Equal(error.Position, SourcePosition.At(text, error.Position.Offset));
    }

    /// <summary>The shapes of the arguments of the single stage in <paramref name="text"/>.</summary>
    public static string Arguments(string text) =>
        string.Join(" ", Succeeds(text).Stages.Single().Arguments.Select(SyntaxShape.Of));
}
