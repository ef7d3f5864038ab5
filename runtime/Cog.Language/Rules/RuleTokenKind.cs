namespace Cog.Language.Rules;

/// <summary>The kinds of token of the rule language.</summary>
enum RuleTokenKind
{
    End,
    When,
    With,
    Must,
    Have,
    Command,
    Is,
    Allow,
    Any,
    All,
    In,
    And,
    Or,
    Not,
    True,
    False,

    /// <summary><c>arg</c> or <c>args</c> (the aggregate form).</summary>
    Arg,

    /// <summary><c>arg[N]</c>, one token.</summary>
    ArgIndex,

    /// <summary><c>option</c> or <c>options</c>.</summary>
    Option,
    Equal,
    NotEqual,
    Less,
    Greater,
    GreaterOrEqual,

    /// <summary><c>=&lt;</c>, or <c>&lt;=</c> (docs/language.md R2).</summary>
    LessOrEqual,

    /// <summary><c>[a-zA-Z][a-zA-Z0-9_-]*</c> that is not a keyword.</summary>
    Name,

    /// <summary><c>[a-zA-Z0-9_-]+</c> that is neither a name nor a number (<c>123abc</c>, <c>-x</c>).</summary>
    BareString,
    Integer,
    Float,
    DoubleQuoted,
    SingleQuoted,
    Regex,

    /// <summary><c>:name:</c> or <c>(name)</c>.</summary>
    Emoji,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    Comma,
    Colon,
}
