using System.Collections.Immutable;
using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>A parsed pipeline: one or more stages joined by <c>|</c> or <c>&amp;&amp;</c>, and an optional redirect.</summary>
/// <param name="Stages">The stages in order; never empty.</param>
/// <param name="Redirect">Where the output goes, written after the last stage; <see langword="null"/> for "here".</param>
/// <param name="Span">The whole pipeline in the source.</param>
/// <remarks>A redirect is only allowed after the last stage (docs/language.md L6), so it belongs to the pipeline.</remarks>
public sealed record PipelineSyntax(ImmutableArray<StageSyntax> Stages, RedirectSyntax? Redirect, SourceSpan Span);

/// <summary>How a stage is joined to the one before it.</summary>
public enum StageJoin
{
    /// <summary>The first stage of a pipeline.</summary>
    None,

    /// <summary><c>|</c>.</summary>
    Pipe,

    /// <summary><c>&amp;&amp;</c>, which executes exactly like <c>|</c> (as in Cog 1.0).</summary>
    And,
}

/// <summary>One command invocation in a pipeline.</summary>
/// <param name="Join">How the stage is joined to the previous one.</param>
/// <param name="Command">The command name as written.</param>
/// <param name="Arguments">Positional arguments and options, in input order.</param>
/// <param name="Span">The stage in the source, from its command name to its last argument.</param>
public sealed record StageSyntax(StageJoin Join, CommandNameSyntax Command, ImmutableArray<ArgumentSyntax> Arguments, SourceSpan Span);

/// <summary>A command name: <c>name</c>, <c>:emoji:</c>, <c>(emoji)</c>, or any of them qualified as <c>bundle:name</c>.</summary>
/// <param name="Bundle">The bundle part, or <see langword="null"/> when unqualified.</param>
/// <param name="Name">The command (or alias) name; an emoji name keeps its delimiters (<c>:shipit:</c>).</param>
/// <param name="Span">The name in the source.</param>
public sealed record CommandNameSyntax(string? Bundle, string Name, SourceSpan Span)
{
    /// <summary>The name as written: <c>bundle:name</c> or <c>name</c>.</summary>
    public override string ToString() => Bundle is null ? Name : $"{Bundle}:{Name}";
}

/// <summary>Which quotes surrounded a text argument.</summary>
public enum QuoteKind
{
    /// <summary>Not quoted.</summary>
    None,

    /// <summary><c>"..."</c></summary>
    Double,

    /// <summary><c>'...'</c></summary>
    Single,
}

/// <summary>An argument of a stage: a literal, a variable, an interpolated string, or an option.</summary>
public abstract record ArgumentSyntax(SourceSpan Span);

/// <summary>A text argument. Quoted arguments are always strings, whatever they contain.</summary>
/// <param name="Text">The text with quotes removed and escapes applied.</param>
public sealed record StringArgument(string Text, QuoteKind Quote, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>An unquoted integer literal (<c>-?[0-9]+</c>).</summary>
public sealed record IntegerArgument(long Number, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>An unquoted float literal (<c>-?[0-9]+\.[0-9]+</c>).</summary>
public sealed record FloatArgument(double Number, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>An unquoted <c>true</c> or <c>false</c>.</summary>
public sealed record BooleanArgument(bool Flag, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>An unquoted variable reference such as <c>$a.b[0]</c>, bound against the stage's input item.</summary>
public sealed record VariableArgument(VariableExpression Variable, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>A quoted string containing at least one <c>${...}</c> interpolation.</summary>
/// <param name="Parts">Literal text and variables, in order.</param>
/// <param name="Quote">The quotes that surrounded it.</param>
/// <param name="RawText">The source text between the quotes.</param>
public sealed record InterpolatedArgument(ImmutableArray<InterpolationPart> Parts, QuoteKind Quote, string RawText, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>An option: <c>-x</c>, <c>-x=value</c>, <c>--name</c> or <c>--name=value</c>.</summary>
/// <param name="Name">The option name without dashes.</param>
/// <param name="IsLong">Whether it was written with two dashes.</param>
/// <param name="Value">The value written with <c>=</c> (or taken from the next argument after a trailing <c>=</c>), or <see langword="null"/>.</param>
public sealed record OptionArgument(string Name, bool IsLong, ArgumentSyntax? Value, SourceSpan Span) : ArgumentSyntax(Span);

/// <summary>A piece of an interpolated string.</summary>
public abstract record InterpolationPart;

/// <summary>Literal text inside an interpolated string.</summary>
public sealed record TextPart(string Text) : InterpolationPart;

/// <summary>A <c>${...}</c> inside an interpolated string.</summary>
public sealed record VariablePart(VariableExpression Variable) : InterpolationPart;

/// <summary>A variable expression: <c>$name</c> followed by <c>.key</c>, <c>[index]</c> or <c>[key]</c> accessors.</summary>
/// <param name="Name">The variable name, without <c>$</c>.</param>
/// <param name="Path">The accessors after the name, in order.</param>
/// <param name="Text">The expression as written (<c>$a.b[0]</c>); error messages quote it.</param>
public sealed record VariableExpression(string Name, ImmutableArray<VariableAccessor> Path, string Text)
{
    /// <inheritdoc/>
    public bool Equals(VariableExpression? other) =>
        other is not null && Name == other.Name && Text == other.Text && Path.SequenceEqual(other.Path);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Text);
}

/// <summary>One step of a variable path.</summary>
public abstract record VariableAccessor;

/// <summary><c>.key</c>, <c>[key]</c> or a quoted key: looks a member of an object up.</summary>
public sealed record KeyAccessor(string Key) : VariableAccessor;

/// <summary><c>[n]</c>: takes the n-th element (zero-based) of a list.</summary>
public sealed record IndexAccessor(int Index) : VariableAccessor;

/// <summary>A redirect: <c>&gt; target</c> or <c>*&gt; target...</c>.</summary>
/// <param name="IsMulti">Whether it was written <c>*&gt;</c>.</param>
/// <param name="Targets">The targets in order: <c>here</c>, <c>me</c>, <c>#room</c>, <c>@user</c>, <c>chat://...</c> or a name.</param>
public sealed record RedirectSyntax(bool IsMulti, ImmutableArray<RedirectTarget> Targets, SourceSpan Span);

/// <summary>One redirect target, with quotes removed.</summary>
public sealed record RedirectTarget(string Text, QuoteKind Quote, SourceSpan Span);
