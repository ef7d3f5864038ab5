using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Rules;

/// <summary>A parsed access rule: <c>when command is bundle:name [with condition] (allow | must have requirement)</c>.</summary>
/// <remarks>
/// Immutable; <see cref="Permissions"/>, <see cref="Score"/> and <see cref="Text"/> are derived from the tree when
/// the rule is built. Equality is structural over the tree, positions included.
/// </remarks>
public sealed record RuleSyntax
{
    /// <summary>Builds a rule from its parts and derives <see cref="Permissions"/>, <see cref="Score"/> and <see cref="Text"/>.</summary>
    /// <param name="command">The command the rule is about.</param>
    /// <param name="commandQuote">The quotes the command reference was written in.</param>
    /// <param name="commandSpan">Where the command reference is.</param>
    /// <param name="condition">The <c>with</c> condition, or <see langword="null"/>.</param>
    /// <param name="requirement">The permission expression after <c>must have</c>, or <see langword="null"/> for <c>allow</c>.</param>
    /// <param name="span">The whole rule.</param>
    public RuleSyntax(CommandReference command, QuoteKind commandQuote, SourceSpan commandSpan, InputExpression? condition, PermissionExpression? requirement, SourceSpan span)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
        CommandQuote = commandQuote;
        CommandSpan = commandSpan;
        Condition = condition;
        Requirement = requirement;
        Span = span;
        Permissions = RuleAnalysis.Permissions(requirement);
        Score = RuleAnalysis.Score(condition);
        Text = RulePrinter.Print(this);
    }

    /// <summary>The command the rule is about.</summary>
    public CommandReference Command { get; }

    /// <summary>The quotes the command reference was written in (<c>'foo:bar'</c>); kept when printing.</summary>
    public QuoteKind CommandQuote { get; }

    /// <summary>Where the command reference is in the source.</summary>
    public SourceSpan CommandSpan { get; }

    /// <summary>The <c>with</c> condition on the invocation's arguments and options, or <see langword="null"/> when there is none.</summary>
    public InputExpression? Condition { get; }

    /// <summary>The permission expression after <c>must have</c>; <see langword="null"/> when the rule says <c>allow</c>.</summary>
    public PermissionExpression? Requirement { get; }

    /// <summary>The whole rule in the source.</summary>
    public SourceSpan Span { get; }

    /// <summary>Whether the rule ends in <c>allow</c> (everybody may run the command when the rule decides).</summary>
    public bool IsAllow => Requirement is null;

    /// <summary>Every permission name the rule references, distinct, in order of first appearance; regex list elements are not included.</summary>
    public ImmutableArray<string> Permissions { get; }

    /// <summary>The static, informational score. Evaluation uses a dynamic score instead.</summary>
    public int Score { get; }

    /// <summary>The canonical text of the rule (<see cref="RulePrinter"/>).</summary>
    public string Text { get; }

    /// <inheritdoc/>
    public bool Equals(RuleSyntax? other) =>
        other is not null && Command == other.Command && CommandQuote == other.CommandQuote && CommandSpan == other.CommandSpan
        && Equals(Condition, other.Condition) && Equals(Requirement, other.Requirement) && Span == other.Span;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Command, CommandQuote, Condition, Requirement, Span);

    /// <summary>The canonical text.</summary>
    public override string ToString() => Text;
}

/// <summary>A fully qualified command name.</summary>
/// <param name="Bundle">The bundle name.</param>
/// <param name="Name">The command name (an emoji keeps its delimiters, <c>:shipit:</c>).</param>
public sealed record CommandReference(string Bundle, string Name)
{
    /// <summary><c>bundle:name</c>.</summary>
    public override string ToString() => $"{Bundle}:{Name}";
}

/// <summary>How <c>and</c>/<c>or</c> join two expressions.</summary>
public enum LogicalOperator
{
    /// <summary><c>and</c>.</summary>
    And,

    /// <summary><c>or</c>.</summary>
    Or,
}

/// <summary>A comparison operator of a <c>with</c> condition.</summary>
public enum ComparisonOperator
{
    /// <summary><c>==</c> (with a regex: matches).</summary>
    Equal,

    /// <summary><c>!=</c> (with a regex: does not match).</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>=&lt;</c> (also written <c>&lt;=</c>).</summary>
    LessOrEqual,
}

/// <summary>Whether an input reference or permission list is aggregated with <c>any</c> or <c>all</c>.</summary>
public enum RuleQuantifier
{
    /// <summary>A single input (<c>arg[0]</c>, <c>option[env]</c>).</summary>
    None,

    /// <summary><c>any</c>.</summary>
    Any,

    /// <summary><c>all</c>.</summary>
    All,
}

/// <summary>A condition on the invocation's inputs (the part after <c>with</c>).</summary>
public abstract record InputExpression(SourceSpan Span);

/// <summary><c>left and right</c> or <c>left or right</c>. Both sides are always evaluated (the dynamic score counts both).</summary>
public sealed record InputLogical(LogicalOperator Operator, InputExpression Left, InputExpression Right, SourceSpan Span) : InputExpression(Span);

/// <summary><c>input op value</c>, e.g. <c>arg[0] == 'delete'</c>, <c>option[env] == /^prod/</c>, <c>all option &lt; 10</c>.</summary>
public sealed record InputComparison(InputReference Input, ComparisonOperator Operator, RuleValue Value, SourceSpan Span) : InputExpression(Span);

/// <summary><c>input in [v1, v2, ...]</c>.</summary>
public sealed record InputMembership(InputReference Input, ImmutableArray<RuleValue> Values, SourceSpan Span) : InputExpression(Span)
{
    /// <inheritdoc/>
    public bool Equals(InputMembership? other) =>
        other is not null && Input == other.Input && Values.SequenceEqual(other.Values) && Span == other.Span;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Input, Values.Length, Span);
}

/// <summary>What a condition looks at: an argument, an option, or all of either.</summary>
public abstract record InputReference(SourceSpan Span);

/// <summary><c>arg[N]</c>: the N-th positional argument (null when absent).</summary>
public sealed record ArgumentReference(int Index, SourceSpan Span) : InputReference(Span);

/// <summary><c>any arg</c> / <c>all arg</c> (also written <c>args</c>): every positional argument.</summary>
/// <param name="Quantifier"><see cref="RuleQuantifier.Any"/> or <see cref="RuleQuantifier.All"/>.</param>
public sealed record ArgumentsReference(RuleQuantifier Quantifier, SourceSpan Span) : InputReference(Span);

/// <summary><c>option[name]</c>, or <c>any option[name]</c> / <c>all option[name]</c> over the elements of a list option.</summary>
public sealed record OptionReference(string Name, RuleQuantifier Quantifier, SourceSpan Span) : InputReference(Span);

/// <summary><c>any option</c> / <c>all option</c> (also written <c>options</c>): the values of every option given.</summary>
/// <param name="Quantifier"><see cref="RuleQuantifier.Any"/> or <see cref="RuleQuantifier.All"/>.</param>
public sealed record OptionsReference(RuleQuantifier Quantifier, SourceSpan Span) : InputReference(Span);

/// <summary>A literal on the right of a comparison or in a value list.</summary>
public abstract record RuleValue(SourceSpan Span);

/// <summary>A number, boolean or string literal.</summary>
/// <param name="Value">The typed value: <see cref="IntValue"/>, <see cref="FloatValue"/>, <see cref="BoolValue"/> or <see cref="StringValue"/>
/// (bare names, bare strings such as <c>-5</c> or <c>123abc</c>, emoji and quoted strings are strings).</param>
/// <param name="Quote">The quotes it was written in.</param>
/// <param name="Text">The literal as written, without quotes (escapes kept), e.g. <c>007</c>, <c>0.50</c>, <c>:shipit:</c>.</param>
public sealed record LiteralValue(Value Value, QuoteKind Quote, string Text, SourceSpan Span) : RuleValue(Span);

/// <summary>A regular expression <c>/.../</c>; matching is unanchored, culture-invariant and linear in the length of
/// the input (.NET's non-backtracking engine), so no input can make a match run long and no timeout is needed.</summary>
/// <remarks>Constructing one with an invalid pattern throws <see cref="ArgumentException"/>, and with a construct the
/// non-backtracking engine cannot run (backreferences, lookarounds, atomic groups, conditionals, <c>\G</c>)
/// <see cref="NotSupportedException"/>; the parser reports both as positioned errors instead.</remarks>
public sealed record RegexValue : RuleValue
{
    /// <summary>How every rule regex is compiled: culture-invariant, non-backtracking.</summary>
    public const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>Compiles <paramref name="pattern"/> once.</summary>
    /// <param name="pattern">The pattern between the slashes, escapes kept.</param>
    /// <param name="span">Where it is in the source.</param>
    public RegexValue(string pattern, SourceSpan span)
        : base(span)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        Regex = Compile(pattern);
    }

    /// <summary>Compiles a rule regex with <see cref="Options"/> and no match timeout.</summary>
    /// <exception cref="ArgumentException">The pattern is invalid.</exception>
    /// <exception cref="NotSupportedException">The pattern needs backtracking.</exception>
    internal static Regex Compile(string pattern) => new(pattern, Options, Regex.InfiniteMatchTimeout);

    /// <summary>The pattern between the slashes, escapes kept.</summary>
    public string Pattern { get; }

    /// <summary>The compiled pattern.</summary>
    /// <remarks>Settable inside the assembly and by its tests only, to exercise the evaluator's fail-closed path with a
    /// regex that throws.</remarks>
    internal Regex Regex { get; set; }

    /// <inheritdoc/>
    public bool Equals(RegexValue? other) => other is not null && Pattern == other.Pattern && Span == other.Span;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Pattern, Span);
}

/// <summary>The permission part of a rule (after <c>must have</c>).</summary>
public abstract record PermissionExpression(SourceSpan Span);

/// <summary><c>left and right</c> or <c>left or right</c>.</summary>
public sealed record PermissionLogical(LogicalOperator Operator, PermissionExpression Left, PermissionExpression Right, SourceSpan Span) : PermissionExpression(Span);

/// <summary>A single permission the user must hold.</summary>
public sealed record PermissionTerm(PermissionName Permission, SourceSpan Span) : PermissionExpression(Span);

/// <summary><c>any in [...]</c> (at least one) or <c>all in [...]</c> (every one).</summary>
/// <param name="Quantifier"><see cref="RuleQuantifier.Any"/> or <see cref="RuleQuantifier.All"/>.</param>
/// <param name="Items">Permission names and regexes; regexes are accepted but never match a permission.</param>
public sealed record PermissionList(RuleQuantifier Quantifier, ImmutableArray<PermissionItem> Items, SourceSpan Span) : PermissionExpression(Span)
{
    /// <inheritdoc/>
    public bool Equals(PermissionList? other) =>
        other is not null && Quantifier == other.Quantifier && Items.SequenceEqual(other.Items) && Span == other.Span;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Quantifier, Items.Length, Span);
}

/// <summary>An element of a permission list.</summary>
public abstract record PermissionItem(SourceSpan Span);

/// <summary>A fully qualified permission name such as <c>site:deploy</c>.</summary>
/// <param name="Name">The name, always containing a colon.</param>
/// <param name="Quote">The quotes it was written in.</param>
public sealed record PermissionName(string Name, QuoteKind Quote, SourceSpan Span) : PermissionItem(Span);

/// <summary>A regex in a permission list: accepted, as in Cog 1.0, but it never matches a permission.</summary>
/// <param name="Pattern">The pattern between the slashes.</param>
public sealed record PermissionPattern(string Pattern, SourceSpan Span) : PermissionItem(Span);
