using System.Collections.Immutable;
using Cog.Language.Pipelines;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Chat;

/// <summary>The destinations of one pipeline (with several providers at once): made by
/// <see cref="ChatDestinations"/> for its origin, given to the engine as <see cref="PipelineRequest.Destinations"/>, which
/// resolves every redirect target through it before anything runs; then used to deliver the reply.</summary>
/// <remarks>
/// <para>Targets: <c>here</c> (the origin: its room and thread; for a non-chat origin, the HTTP response); <c>me</c> (a
/// direct conversation with the sender on the origin's provider; not for non-chat origins); <c>#room</c> and
/// <c>@user</c> on the origin's provider; <c>chat://X</c> (X on the origin's provider when it is a chat provider, else on
/// the default chat provider); <c>provider://X</c> (X on the named provider, e.g. <c>slack://#ops</c>, <c>web://me</c>);
/// a bare name is looked up on the origin's provider as a room, then as a person. With explicit targets the output goes
/// only there. Two targets naming the same room get one reply.</para>
/// <para>One plan serves one pipeline; not thread-safe (the engine checks once, delivery happens after).</para>
/// </remarks>
public sealed class DestinationPlan : IDestinationCheck
{
    readonly ChatProviders _providers;
    readonly IUserStore _users;
    readonly ChatUser? _sender;
    readonly string _userId;

    internal DestinationPlan(ChatProviders providers, IUserStore users, ChatDestination? origin, ChatUser? sender, string userId)
    {
        (_providers, _users, Origin, _sender, _userId) = (providers, users, origin, sender, userId);
        Destinations = origin is null ? [] : [origin];
        AnswersOrigin = true;
    }

    /// <summary>Where the pipeline came from in chat (errors always go there), or <see langword="null"/> for a non-chat
    /// origin (a trigger, the API), whose <c>here</c> is the HTTP response.</summary>
    public ChatDestination? Origin { get; }

    /// <summary>Whether <see cref="CheckAsync"/> accepted the redirect.</summary>
    public bool IsResolved { get; private set; }

    /// <summary>The chat destinations of the output, in the order written (the origin included when it is one).</summary>
    public ImmutableArray<ChatDestination> Destinations { get; private set; }

    /// <summary>Whether the origin gets the output: no redirect, or <c>here</c> among the targets. For a non-chat origin,
    /// whether the HTTP response carries the output.</summary>
    public bool AnswersOrigin { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<string?> CheckAsync(RedirectSyntax? redirect, CancellationToken cancellationToken)
    {
        if (redirect is null)
        {
            (Destinations, AnswersOrigin, IsResolved) = (Origin is null ? [] : [Origin], true, true);
            return null;
        }
        var destinations = ImmutableArray.CreateBuilder<ChatDestination>(redirect.Targets.Length);
        var invalid = new List<(string, TargetProblem)>();
        var answersOrigin = false;
        foreach (var written in redirect.Targets)
        {
            var target = DestinationTarget.Parse(written.Text);
            if (target.Kind == TargetKind.Here)
            {
                answersOrigin = true;
                if (Origin is not null)
                    Add(destinations, Origin);
                continue;
            }
            var (destination, problem) = await ResolveAsync(target, cancellationToken).ConfigureAwait(false);
            if (destination is null)
                invalid.Add((written.Text, problem));
            else
                Add(destinations, destination);
        }
        if (invalid.Count > 0)
        {
            var names = new List<string>(_providers.All.Count);
            foreach (var provider in _providers.All)
                names.Add(provider.Name);
            return InvalidRedirects.Message(invalid, names);
        }
        (Destinations, AnswersOrigin, IsResolved) = (destinations.ToImmutable(), answersOrigin, true);
        return null;
    }

    /// <summary>Adds <paramref name="destination"/> unless its room is already there; the origin (with its thread) takes
    /// the place of the same room named otherwise.</summary>
    void Add(ImmutableArray<ChatDestination>.Builder destinations, ChatDestination destination)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            if (!destinations[i].SameRoomAs(destination))
                continue;
            if (ReferenceEquals(destination, Origin))
                destinations[i] = destination;
            return;
        }
        destinations.Add(destination);
    }

    async Task<(ChatDestination? Destination, TargetProblem Problem)> ResolveAsync(DestinationTarget target, CancellationToken cancellationToken)
    {
        IChatProvider? provider;
        switch (target.Scope)
        {
            case TargetScope.Origin:
                if (Origin is null)
                    return (null, TargetProblem.NotFromHere);
                provider = Origin.Provider;
                break;
            case TargetScope.Chat:
                provider = Origin?.Provider ?? _providers.Default;
                if (provider is null)
                    return (null, TargetProblem.NoChatProvider);
                break;
            default:
                provider = _providers.Find(target.Provider!);
                if (provider is null)
                    return (null, TargetProblem.UnknownProvider);
                break;
        }
        try
        {
            return await ResolveOnAsync(provider, target, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatProviderException)
        {
            return (null, TargetProblem.Unreachable);
        }
    }

    async Task<(ChatDestination?, TargetProblem)> ResolveOnAsync(IChatProvider provider, DestinationTarget target, CancellationToken cancellationToken)
    {
        switch (target.Kind)
        {
            case TargetKind.Room:
                return Room(provider, target, await provider.FindRoomAsync(target.Name, cancellationToken).ConfigureAwait(false));
            case TargetKind.User:
                return await DirectAsync(provider, target, await provider.FindUserAsync(target.Name, cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            case TargetKind.Name:
                var room = await provider.FindRoomAsync(target.Name, cancellationToken).ConfigureAwait(false);
                if (room.Problem != RoomProblem.NotFound)
                    return Room(provider, target, room);
                return await DirectAsync(provider, target, await provider.FindUserAsync(target.Name, cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            case TargetKind.Me:
                var me = await SenderOnAsync(provider, cancellationToken).ConfigureAwait(false);
                return me is null ? (null, TargetProblem.NoHandle) : await DirectAsync(provider, target, me, cancellationToken).ConfigureAwait(false);
            default:
                return (null, TargetProblem.NotFound);
        }
    }

    static (ChatDestination?, TargetProblem) Room(IChatProvider provider, DestinationTarget target, RoomLookup lookup) => lookup.Problem switch
    {
        RoomProblem.None when lookup.Room is { } room => (new ChatDestination(provider, room, null, target.Text), TargetProblem.None),
        RoomProblem.NotAMember => (null, TargetProblem.NotAMember),
        RoomProblem.Ambiguous => (null, TargetProblem.Ambiguous),
        _ => (null, TargetProblem.NotFound),
    };

    static async Task<(ChatDestination?, TargetProblem)> DirectAsync(IChatProvider provider, DestinationTarget target, ChatUser? user,
        CancellationToken cancellationToken)
    {
        if (user is null)
            return (null, TargetProblem.NotFound);
        var room = await provider.OpenDirectAsync(user, cancellationToken).ConfigureAwait(false);
        return (new ChatDestination(provider, room, null, target.Text), TargetProblem.None);
    }

    /// <summary>The sender as a person on <paramref name="provider"/>: the sender themself on the origin's provider, else
    /// the person of the caller's chat handle there (none for a user without one).</summary>
    async Task<ChatUser?> SenderOnAsync(IChatProvider provider, CancellationToken cancellationToken)
    {
        if (Origin is not null && _sender is not null && ReferenceEquals(provider, Origin.Provider))
            return _sender;
        foreach (var handle in await _users.ListChatHandlesAsync(_userId, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(handle.Provider, provider.Name, StringComparison.OrdinalIgnoreCase))
                return new ChatUser(handle.ProviderUserId, handle.Handle);
        }
        return null;
    }
}
