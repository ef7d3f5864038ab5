using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Rendering;

/// <summary>STAND-IN until the template engine lands (issue 5): the <see cref="PlainTextRenderer"/> text as one paragraph
/// per line. To be deleted when the templated composer replaces it.</summary>
public sealed class PlainReplyComposer : IReplyComposer
{
    /// <inheritdoc/>
    public ValueTask<ReplyDocument> ComposeAsync(PipelineOutcome outcome, ReplyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var kind = outcome.Status switch
        {
            PipelineStatus.Succeeded => ReplyKind.Output,
            PipelineStatus.NoOutput => ReplyKind.Notice,
            PipelineStatus.Aborted => ReplyKind.Abort,
            _ => ReplyKind.Error,
        };
        return ValueTask.FromResult(Lines(PlainTextRenderer.Render(outcome), kind));
    }

    /// <inheritdoc/>
    public ValueTask<ReplyDocument> ComposeCommonAsync(string template, Value data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return ValueTask.FromResult(Lines($"{template}: {data.ToDisplayString()}", ReplyKind.Notice));
    }

    static ReplyDocument Lines(string text, ReplyKind kind)
    {
        var inlines = ImmutableArray.CreateBuilder<ReplyInline>();
        foreach (var line in text.Split('\n'))
        {
            if (inlines.Count > 0)
                inlines.Add(new LineBreakInline());
            inlines.Add(new TextInline(line));
        }
        return new ReplyDocument(kind, [new ParagraphBlock(inlines.ToImmutable())]);
    }
}
