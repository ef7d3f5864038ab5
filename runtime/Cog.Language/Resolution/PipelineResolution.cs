using System.Collections.Immutable;
using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Resolution;

/// <summary>The state of one <c>CommandResolver.Resolve</c> call: the expansion stack, the stages
/// produced so far, and the user's stage being resolved. Used once, by one thread.</summary>
sealed class PipelineResolution
{
    const string UserQualifier = "user";
    const string SiteQualifier = "site";

    readonly CommandCatalog _commands;
    readonly AliasCatalog _userAliases;
    readonly AliasCatalog _siteAliases;
    readonly int _longestName;
    readonly PipelineLimits _limits;
    readonly CancellationToken _cancellationToken;
    readonly ExpansionStack _stack = new(CommandResolver.ExpansionLimit);
    readonly ImmutableArray<ResolvedStage>.Builder _stages = ImmutableArray.CreateBuilder<ResolvedStage>();

    // The stage the user wrote that is being resolved, and the aliases being expanded in it (outermost first): every
    // stage it produces carries them, and every error is positioned at its command name.
    SourceSpan _userStage;
    SourcePosition _errorPosition;
    ImmutableArray<AliasExpansion> _expansions = [];

    // What the resolved pipeline holds so far, against the limits.
    int _argumentCount;

    public PipelineResolution(CommandCatalog commands, AliasCatalog userAliases, AliasCatalog siteAliases, PipelineLimits limits,
        CancellationToken cancellationToken)
    {
        _limits = limits;
        _cancellationToken = cancellationToken;
        _commands = commands;
        _userAliases = userAliases;
        _siteAliases = siteAliases;
        _longestName = Math.Max(commands.LongestCommandName, Math.Max(userAliases.LongestName, siteAliases.LongestName));
    }

    enum Outcome
    {
        Resolved,
        NotFound,

        // The named bundle is enabled but its enabled version lacks the command: not found, but worth a
        // specific message if no other candidate resolves.
        NotInBundle,
        Failed,
    }

    public Result<ResolvedPipeline> Run(PipelineSyntax pipeline)
    {
        var stages = pipeline.Stages;
        if (stages.IsDefaultOrEmpty)
        {
            throw new ArgumentException("A pipeline has at least one stage.", nameof(pipeline));
        }
        RedirectSyntax? aliasRedirect = null;
        var last = stages.Length - 1;
        for (var i = 0; i <= last; i++)
        {
            var stage = stages[i];
            _userStage = stage.Span;
            _errorPosition = stage.Command.Span.Start;
            _expansions = [];
            var error = ResolveStage(stage, stage.Join, [], i == last, out aliasRedirect);
            if (error is not null)
            {
                return error;
            }
        }
        // A redirect the user wrote replaces the one an alias in the last stage brought.
        return Result<ResolvedPipeline>.Success(new ResolvedPipeline(_stages.DrainToImmutable(), pipeline.Redirect ?? aliasRedirect));
    }

    /// <summary>Resolves one stage (the user's, or one from an alias text) and appends what it produces.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="join">The join to give the first stage produced.</param>
    /// <param name="appended">Arguments given to the alias(es) this stage is the first stage of.</param>
    /// <param name="isLast">Whether the stage ends the whole pipeline.</param>
    /// <param name="redirect">The redirect of the alias the stage expanded to, if any.</param>
    LanguageError? ResolveStage(
        StageSyntax stage,
        StageJoin join,
        ImmutableArray<ArgumentSyntax> appended,
        bool isLast,
        out RedirectSyntax? redirect)
    {
        redirect = null;
        _cancellationToken.ThrowIfCancellationRequested();
        var name = stage.Command.Name;
        var bundle = stage.Command.Bundle;
        var arguments = stage.Arguments;
        // Candidates longest first: name-w1-w2..., down to the bare name. A candidate longer than every alias and
        // command name cannot match and is not tried, so the words looked at are bounded by the longest name, not by
        // the stage's length. When the expansion stack is full the first push fails whatever the name, and that
        // failure is the answer: the longest candidate is tried for its message.
        var notInBundle = false;
        for (var consumed = _stack.IsFull ? CountLeadingWords(arguments) : FittingWords(name, arguments); consumed >= 0; consumed--)
        {
            var candidate = consumed == 0 ? name : JoinCandidate(name, arguments, consumed);
            if (_stack.Push(candidate) is { } limitMessage)
            {
                return Error(limitMessage);
            }
            var outcome = ResolveCandidate(bundle, candidate, stage, consumed, join, appended, isLast, out redirect, out var error);
            _stack.Pop(candidate);
            switch (outcome)
            {
                case Outcome.Resolved:
                    return null;
                case Outcome.Failed:
                    return error;
                case Outcome.NotInBundle:
                    notInBundle = true;
                    break;
                case Outcome.NotFound:
                    break;
            }
        }
        // Only the bare name can be the last candidate tried, so the specific message names it.
        return Error(notInBundle && bundle is not null
            ? ResolutionErrors.CommandNotInBundle(bundle, name)
            : ResolutionErrors.CommandNotFound(name));
    }

    Outcome ResolveCandidate(
        string? bundle,
        string candidate,
        StageSyntax stage,
        int consumed,
        StageJoin join,
        ImmutableArray<ArgumentSyntax> appended,
        bool isLast,
        out RedirectSyntax? redirect,
        out LanguageError? error)
    {
        redirect = null;
        error = null;
        if (bundle is null)
        {
            var alias = _userAliases.Find(candidate) ?? _siteAliases.Find(candidate);
            if (alias is not null)
            {
                var visibility = ReferenceEquals(alias, _userAliases.Find(candidate)) ? AliasVisibility.User : AliasVisibility.Site;
                return Expand(alias, visibility, stage, consumed, join, appended, isLast, out redirect, out error);
            }
            var owners = _commands.FindOwners(candidate);
            if (owners is null)
            {
                return Outcome.NotFound;
            }
            if (owners.Length > 1)
            {
                var names = new string[owners.Length];
                for (var i = 0; i < owners.Length; i++)
                {
                    names[i] = owners[i].Name;
                }
                error = Error(ResolutionErrors.AmbiguousCommand(candidate, names));
                return Outcome.Failed;
            }
            // A bare name resolves as if qualified with its one bundle, except that an enabled version
            // lacking the command is plain "not found", as in Cog 1.0.
            var outcome = ResolveInBundle(owners[0], candidate, stage, consumed, join, appended, out error);
            return outcome == Outcome.NotInBundle ? Outcome.NotFound : outcome;
        }
        if (bundle == UserQualifier || bundle == SiteQualifier)
        {
            var visibility = bundle == UserQualifier ? AliasVisibility.User : AliasVisibility.Site;
            var alias = (visibility == AliasVisibility.User ? _userAliases : _siteAliases).Find(candidate);
            return alias is null ? Outcome.NotFound : Expand(alias, visibility, stage, consumed, join, appended, isLast, out redirect, out error);
        }
        var installed = _commands.FindBundle(bundle);
        if (installed is null)
        {
            error = Error(ResolutionErrors.BundleNotFound(bundle));
            return Outcome.Failed;
        }
        return ResolveInBundle(installed, candidate, stage, consumed, join, appended, out error);
    }

    Outcome ResolveInBundle(
        InstalledBundle bundle,
        string candidate,
        StageSyntax stage,
        int consumed,
        StageJoin join,
        ImmutableArray<ArgumentSyntax> appended,
        out LanguageError? error)
    {
        error = null;
        if (!bundle.IsEnabled)
        {
            error = Error(ResolutionErrors.BundleDisabled(bundle.Name));
            return Outcome.Failed;
        }
        var command = bundle.FindCommand(candidate);
        if (command is null)
        {
            return Outcome.NotInBundle;
        }
        if (_stages.Count == _limits.MaxStages)
        {
            error = Error(ResolutionErrors.TooManyStages(_limits.MaxStages));
            return Outcome.Failed;
        }
        var arguments = Remaining(stage.Arguments, consumed, appended);
        _argumentCount += arguments.Length;
        if (_argumentCount > _limits.MaxArguments)
        {
            error = Error(ResolutionErrors.TooManyArguments(_limits.MaxArguments));
            return Outcome.Failed;
        }
        _stages.Add(new ResolvedStage(bundle, command, arguments, join, _userStage, _expansions));
        return Outcome.Resolved;
    }

    Outcome Expand(
        AliasDefinition alias,
        AliasVisibility visibility,
        StageSyntax stage,
        int consumed,
        StageJoin join,
        ImmutableArray<ArgumentSyntax> appended,
        bool isLast,
        out RedirectSyntax? redirect,
        out LanguageError? error)
    {
        redirect = null;
        error = null;
        var pipeline = alias.Pipeline;
        if (pipeline.Redirect is not null && !isLast)
        {
            error = Error(ResolutionErrors.AliasRedirectNotLast(alias.Name));
            return Outcome.Failed;
        }
        var outer = _expansions;
        _expansions = _expansions.Add(new AliasExpansion(alias.Name, visibility));
        // Arguments given to the alias go to the FIRST stage of its pipeline (verified).
        var spliced = Remaining(stage.Arguments, consumed, appended);
        var stages = pipeline.Stages;
        var last = stages.Length - 1;
        RedirectSyntax? inner = null;
        for (var i = 0; i <= last; i++)
        {
            var aliasStage = stages[i];
            error = ResolveStage(
                aliasStage,
                i == 0 ? join : aliasStage.Join,
                i == 0 ? spliced : [],
                isLast && i == last,
                out inner);
            if (error is not null)
            {
                return Outcome.Failed;
            }
        }
        _expansions = outer;
        redirect = pipeline.Redirect ?? inner;
        return Outcome.Resolved;
    }

    LanguageError Error(string message) => new(message, _errorPosition);

    /// <summary>The stage's arguments after the words joined into the command name, then the appended ones.</summary>
    static ImmutableArray<ArgumentSyntax> Remaining(ImmutableArray<ArgumentSyntax> arguments, int consumed, ImmutableArray<ArgumentSyntax> appended)
    {
        if (appended.IsDefaultOrEmpty)
        {
            return consumed == 0 ? arguments : arguments[consumed..];
        }
        if (consumed == arguments.Length)
        {
            return appended;
        }
        var builder = ImmutableArray.CreateBuilder<ArgumentSyntax>(arguments.Length - consumed + appended.Length);
        for (var i = consumed; i < arguments.Length; i++)
        {
            builder.Add(arguments[i]);
        }
        builder.AddRange(appended);
        return builder.MoveToImmutable();
    }

    /// <summary>How many arguments from the start are plain strings matching <c>^[a-zA-Z0-9_-]+$</c>, quoted or not.</summary>
    static int CountLeadingWords(ImmutableArray<ArgumentSyntax> arguments)
    {
        var count = 0;
        while (count < arguments.Length && arguments[count] is StringArgument { Text: var text } && IsWord(text))
        {
            count++;
        }
        return count;
    }

    /// <summary>How many leading words (as <see cref="CountLeadingWords"/> counts them) can join <paramref name="name"/>
    /// without the candidate growing longer than the longest alias or command name.</summary>
    int FittingWords(string name, ImmutableArray<ArgumentSyntax> arguments)
    {
        var count = 0;
        var length = name.Length;
        while (count < arguments.Length && arguments[count] is StringArgument { Text: var text }
               && (length += 1 + text.Length) <= _longestName && IsWord(text))
        {
            count++;
        }
        return count;
    }

    internal static bool IsWord(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    static int CandidateLength(string name, ImmutableArray<ArgumentSyntax> arguments, int words)
    {
        var length = name.Length;
        for (var i = 0; i < words; i++)
        {
            length += 1 + ((StringArgument)arguments[i]).Text.Length;
        }
        return length;
    }

    static string JoinCandidate(string name, ImmutableArray<ArgumentSyntax> arguments, int words) =>
        string.Create(CandidateLength(name, arguments, words), (name, arguments, words), static (span, state) =>
        {
            state.name.AsSpan().CopyTo(span);
            var at = state.name.Length;
            for (var i = 0; i < state.words; i++)
            {
                span[at++] = '-';
                var word = ((StringArgument)state.arguments[i]).Text;
                word.AsSpan().CopyTo(span[at..]);
                at += word.Length;
            }
        });
}
