namespace Cog.Runtime.Chat;

/// <summary>What a redirect target names.</summary>
enum TargetKind
{
    /// <summary><c>here</c>: where the pipeline came from.</summary>
    Here,

    /// <summary><c>me</c>: a direct conversation with the sender.</summary>
    Me,

    /// <summary><c>#room</c>.</summary>
    Room,

    /// <summary><c>@user</c>: a direct conversation with that person.</summary>
    User,

    /// <summary>A bare name: a room of that name, else a person.</summary>
    Name,

    /// <summary>Nothing usable (<c>chat://</c> with nothing after it).</summary>
    Malformed,
}

/// <summary>Which provider a redirect target is for.</summary>
enum TargetScope
{
    /// <summary>No scheme: the provider the pipeline came from.</summary>
    Origin,

    /// <summary><c>chat://</c>: the origin's provider when it is a chat provider, else the default chat provider.</summary>
    Chat,

    /// <summary><c>name://</c>: the named provider (<c>slack://#ops</c>, <c>web://@alice</c>).</summary>
    Named,
}

/// <summary>One redirect target, classified (pure: nothing is looked up).</summary>
/// <param name="Text">The target as written.</param>
/// <param name="Scope">Which provider it is for.</param>
/// <param name="Provider">The provider's name (lower-case) for <see cref="TargetScope.Named"/>.</param>
/// <param name="Kind">What it names.</param>
/// <param name="Name">The room or user name without its sigil (empty for <c>here</c> and <c>me</c>).</param>
sealed record DestinationTarget(string Text, TargetScope Scope, string? Provider, TargetKind Kind, string Name)
{
    /// <summary>The scheme of targets routed through the chat provider.</summary>
    public const string ChatScheme = "chat";

    const string SchemeSeparator = "://";

    /// <summary>Classifies <paramref name="text"/>: <c>here</c>, <c>me</c>, <c>#room</c>, <c>@user</c>, a bare name, each
    /// optionally behind <c>chat://</c> or <c>provider://</c> (<c>here</c> only without a scheme: with one it is a
    /// name).</summary>
    public static DestinationTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.AsSpan().Trim();
        var scope = TargetScope.Origin;
        string? provider = null;
        var separator = body.IndexOf(SchemeSeparator, StringComparison.Ordinal);
        if (separator > 0 && IsScheme(body[..separator]))
        {
            var scheme = body[..separator].ToString().ToLowerInvariant();
            (scope, provider) = scheme == ChatScheme ? (TargetScope.Chat, null) : (TargetScope.Named, scheme);
            body = body[(separator + SchemeSeparator.Length)..].Trim();
        }
        if (body.IsEmpty)
            return new(text, scope, provider, TargetKind.Malformed, "");
        if (scope == TargetScope.Origin && body.Equals("here", StringComparison.OrdinalIgnoreCase))
            return new(text, scope, provider, TargetKind.Here, "");
        if (body.Equals("me", StringComparison.OrdinalIgnoreCase))
            return new(text, scope, provider, TargetKind.Me, "");
        if (body[0] is '#' or '@')
        {
            var name = body[1..].Trim();
            var kind = body[0] == '#' ? TargetKind.Room : TargetKind.User;
            return new(text, scope, provider, name.IsEmpty ? TargetKind.Malformed : kind, name.ToString());
        }
        return new(text, scope, provider, TargetKind.Name, body.ToString());
    }

    static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        foreach (var c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+'))
                return false;
        }
        return char.IsAsciiLetter(scheme[0]);
    }
}
