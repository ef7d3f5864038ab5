namespace Cog.Runtime.Chat;

/// <summary>Why a redirect target cannot be used.</summary>
enum TargetProblem
{
    /// <summary>Usable.</summary>
    None,

    /// <summary>The origin cannot reach it: <c>me</c>, <c>#room</c>, <c>@user</c> or a bare name in a pipeline that did
    /// not come from chat (such pipelines write <c>chat://…</c>).</summary>
    NotFromHere,

    /// <summary>No such room or person, or nothing after the scheme.</summary>
    NotFound,

    /// <summary>The room exists but Cog is not in it.</summary>
    NotAMember,

    /// <summary>Several rooms or people match.</summary>
    Ambiguous,

    /// <summary><c>name://</c> names no running provider.</summary>
    UnknownProvider,

    /// <summary><c>chat://</c> from a non-chat origin while no chat provider runs.</summary>
    NoChatProvider,

    /// <summary>The provider could not be asked.</summary>
    Unreachable,

    /// <summary><c>me</c> on a provider where the sender has no handle.</summary>
    NoHandle,
}

/// <summary>Builds the one message that lists every invalid redirect target, with hints. Pure.</summary>
static class InvalidRedirects
{
    /// <summary>The message for <paramref name="invalid"/> (in the order written); <paramref name="providers"/> are the
    /// running providers' names (for the unknown-provider hint).</summary>
    public static string Message(IReadOnlyList<(string Target, TargetProblem Problem)> invalid, IEnumerable<string> providers)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        var lines = new List<string> { ChatMessages.InvalidRedirects(Targets(invalid, null)) };
        Hint(lines, invalid, TargetProblem.NotAMember, ChatMessages.NotAMemberHint);
        Hint(lines, invalid, TargetProblem.Ambiguous, ChatMessages.AmbiguousHint);
        Hint(lines, invalid, TargetProblem.UnknownProvider, targets => ChatMessages.UnknownProviderHint(targets, providers));
        Hint(lines, invalid, TargetProblem.NoChatProvider, ChatMessages.NoChatProviderHint);
        Hint(lines, invalid, TargetProblem.NoHandle, ChatMessages.NoHandleHint);
        Hint(lines, invalid, TargetProblem.Unreachable, ChatMessages.UnreachableHint);
        return string.Join("\n", lines);
    }

    static void Hint(List<string> lines, IReadOnlyList<(string Target, TargetProblem Problem)> invalid, TargetProblem problem,
        Func<IEnumerable<string>, string> hint)
    {
        var targets = Targets(invalid, problem);
        if (targets.Count > 0)
            lines.Add(hint(targets));
    }

    static List<string> Targets(IReadOnlyList<(string Target, TargetProblem Problem)> invalid, TargetProblem? problem)
    {
        var targets = new List<string>(invalid.Count);
        foreach (var (target, kind) in invalid)
        {
            if (problem is null || kind == problem)
                targets.Add(target);
        }
        return targets;
    }
}
