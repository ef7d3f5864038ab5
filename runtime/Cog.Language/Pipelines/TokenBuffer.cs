using System.Buffers;

namespace Cog.Language.Pipelines;

/// <summary>
/// The lexer's output: a growable list of tokens that starts in caller-provided (usually stack) memory and moves to a
/// pooled array only for long inputs, so that parsing a typical chat command allocates nothing for its tokens.
/// </summary>
/// <remarks>The owner must call <see cref="Dispose"/> to return a rented array to the pool.</remarks>
ref struct TokenBuffer(Span<PipelineToken> initial)
{
    Span<PipelineToken> _tokens = initial;
    PipelineToken[]? _rented;

    public int Count { get; private set; }

    public readonly PipelineToken this[int index] => _tokens[..Count][index];

    public void Add(PipelineToken token)
    {
        if (Count == _tokens.Length)
        {
            Grow();
        }
        _tokens[Count++] = token;
    }

    void Grow()
    {
        var larger = ArrayPool<PipelineToken>.Shared.Rent(Math.Max(16, _tokens.Length * 2));
        _tokens[..Count].CopyTo(larger);
        if (_rented is not null)
        {
            ArrayPool<PipelineToken>.Shared.Return(_rented);
        }
        _rented = larger;
        _tokens = larger;
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<PipelineToken>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
