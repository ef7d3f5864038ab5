using Cog.Language.Pipelines;
using FsCheck.Xunit;

namespace Cog.Language.Tests.Pipelines;

public class PipelinePropertyTests
{
    [Property(Arbitrary = [typeof(PipelineGenerators)], MaxTest = 2000)]
    public void Printed_trees_parse_back_to_the_same_tree(GeneratedPipeline generated)
    {
        var text = PipelinePrinter.Print(generated.Syntax);
        var parsed = PipelineParser.Parse(text);
        Assert.True(parsed.Succeeded, $"{text}\n{parsed.Error}");
        Assert.Equal(SyntaxShape.Of(generated.Syntax), SyntaxShape.Of(parsed.Value));
    }

    [Property(Arbitrary = [typeof(PipelineGenerators)], MaxTest = 5000, EndSize = 200)]
    public void Any_text_parses_or_fails_at_a_position_inside_it(NastyText input)
    {
        var text = input.Text;
        var result = PipelineParser.Parse(text);
        if (result.Succeeded)
        {
            // Whatever parses prints to text that parses to the same tree.
            var printed = PipelinePrinter.Print(result.Value);
            var reparsed = PipelineParser.Parse(printed);
            Assert.True(reparsed.Succeeded, $"{printed}\n{reparsed.Error}");
            Assert.Equal(SyntaxShape.Of(result.Value), SyntaxShape.Of(reparsed.Value));
            return;
        }
        var position = result.Error.Position;
        var lines = LineLengths(text);
        Assert.InRange(position.Line, 1, lines.Count);
        Assert.InRange(position.Column, 1, lines[position.Line - 1] + 1);
        Assert.Equal(position, Cog.Language.Text.SourcePosition.At(text, position.Offset));
        Assert.False(string.IsNullOrEmpty(result.Error.Message));
    }

    /// <summary>Line lengths, breaking lines where <see cref="Cog.Language.Text.SourcePosition.At"/> does.</summary>
    static List<int> LineLengths(string text)
    {
        var lengths = new List<int>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                lengths.Add(i - start - (text[i] == '\n' && i > start && text[i - 1] == '\r' ? 1 : 0));
                start = i + 1;
            }
        }
        lengths.Add(text.Length - start);
        return lengths;
    }
}
