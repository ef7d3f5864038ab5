using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Chat;

/// <summary>The chat service: the <see cref="IChatInbox"/> of every chat provider. It turns messages into pipelines,
/// maps senders to Cog users (with optional self-registration), runs the pipelines through the
/// <see cref="IPipelineRunner"/> with a per-message <see cref="DestinationPlan"/>, and delivers the replies
/// (<see cref="ChatDestinations"/>).</summary>
/// <remarks>
/// <para>Each message is handled in the background, so a provider can acknowledge its transport at once; an exception
/// costs that message only and is logged. <see cref="StopAsync"/> stops the providers, waits up to
/// <see cref="ChatServiceOptions.ShutdownGrace"/> for the messages in flight, then cancels them.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class ChatService : IChatInbox, IAsyncDisposable
{
    /// <summary>The permission whose holders an unregistered user is pointed to.</summary>
    public const string ManageUsersPermission = "operable:manage_users";

    readonly ChatDestinations _destinations;
    readonly IPipelineRunner _runner;
    readonly IReplyComposer _composer;
    readonly IUserStore _users;
    readonly IPipelineDirectory _directory;
    readonly SelfRegistration _registration;
    readonly TimeProvider _time;
    readonly ChatServiceOptions _options;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stopping = new();
    readonly ConcurrentDictionary<long, Task> _inFlight = new();
    long _next;
    int _state; // 0 created, 1 started, 2 stopped

    /// <summary>Creates the service. <paramref name="administration"/> creates self-registered users;
    /// <paramref name="directory"/> tells who holds <see cref="ManageUsersPermission"/>.</summary>
    public ChatService(ChatDestinations destinations, IPipelineRunner runner, IReplyComposer composer, IUserStore users,
        IPipelineDirectory directory, UserAdministration administration, TimeProvider time, ChatServiceOptions options, ILogger<ChatService> logger)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(administration);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        (_destinations, _runner, _composer, _users, _directory, _time, _options, _logger) =
            (destinations, runner, composer, users, directory, time, options, logger);
        _registration = new SelfRegistration(administration);
    }

    /// <summary>The running chat providers.</summary>
    public ChatProviders Providers => _destinations.Providers;

    /// <summary>The number of messages being handled now.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Starts every provider with this service as its inbox.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("The chat service was already started.");
        foreach (var provider in Providers.All)
        {
            await provider.StartAsync(this, cancellationToken).ConfigureAwait(false);
            ChatLog.ProviderStarted(_logger, provider.Name);
        }
    }

    /// <summary>Stops every provider, waits up to the grace period for the messages in flight, then cancels the rest.
    /// Never throws (failures are logged).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
            return;
        foreach (var provider in Providers.All)
        {
            try
            {
                await provider.StopAsync(cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Stopping goes on with the next provider whatever one throws.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ChatLog.ProviderStopFailed(_logger, e, provider.Name);
            }
        }
        var pending = Task.WhenAll(_inFlight.Values);
        try
        {
            await pending.WaitAsync(_options.ShutdownGrace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            ChatLog.ShutdownCancelled(_logger, _inFlight.Count);
            await _stopping.CancelAsync().ConfigureAwait(false);
            // Cancelled pipelines end quickly (the runner turns cancellation into an outcome); don't hang on a stuck one.
            await Task.WhenAny(pending, Task.Delay(_options.ShutdownGrace, _time, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the service (<see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc/>
    /// <remarks>Returns at once: a message for Cog is handled in the background. Messages arriving after
    /// <see cref="StopAsync"/> are ignored.</remarks>
    public ValueTask ReceiveAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Volatile.Read(ref _state) == 2)
            return ValueTask.CompletedTask;
        var provider = Providers.Find(message.Provider);
        if (provider is null)
        {
            ChatLog.UnknownProvider(_logger, message.Provider);
            return ValueTask.CompletedTask;
        }
        var text = ChatText.ToPipeline(message, _options.CommandPrefix, provider.BotMention, _options.PreviousCommandToken);
        if (text is null)
            return ValueTask.CompletedTask;
        var id = Interlocked.Increment(ref _next);
        var started = _time.GetUtcNow();
        var stopping = _stopping.Token;
        // Registered before it runs, so a stop that begins now waits for it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight[id] = gate.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                await HandleAsync(provider, message, text, started, stopping).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An exception costs this message only (logged), never the provider's receive loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (!stopping.IsCancellationRequested)
                    ChatLog.MessageFailed(_logger, e, provider.Name, message.Id);
            }
            finally
            {
                _inFlight.TryRemove(id, out _);
                gate.SetResult();
            }
        }, CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    /// <summary>Handles one message for Cog to its end.</summary>
    internal async Task HandleAsync(IChatProvider provider, ChatMessage message, string text, DateTimeOffset started, CancellationToken cancellationToken)
    {
        using var span = CogTracing.StartChatMessage(provider.Name, message.Room.Name);
        var origin = new ChatDestination(provider, message.Room, message.ThreadId, ChatDestination.Here);
        var sender = message.Sender;
        var mention = MentionData.Create(provider.Name, sender.Id, sender.Handle);
        if (message.Edited)
            await NoticeAsync(origin, ChatMessages.EditedCommandTemplate, cancellationToken, ("mention", mention), ("command", text)).ConfigureAwait(false);

        var user = await _users.FindByChatUserAsync(provider.Name, sender.Id, cancellationToken).ConfigureAwait(false);
        if (user is null && _options.AllowSelfRegistration)
        {
            user = await _registration.RegisterAsync(provider.Name, sender, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                ChatLog.SelfRegistrationFailed(_logger, sender.Handle, provider.Name);
                await NoticeAsync(origin, ChatMessages.SelfRegistrationFailedTemplate, cancellationToken, ("mention", mention), ("provider", provider.Name),
                    ("display_name", ChatMessages.DisplayName(provider.Name)), ("handle", sender.Handle)).ConfigureAwait(false);
                return;
            }
            ChatLog.SelfRegistered(_logger, sender.Handle, provider.Name, user.Username);
            await NoticeAsync(origin, ChatMessages.SelfRegistrationSuccessTemplate, cancellationToken, ("mention", mention),
                ("first_name", user.FirstName ?? sender.Handle), ("username", user.Username), ("provider", provider.Name),
                ("display_name", ChatMessages.DisplayName(provider.Name))).ConfigureAwait(false);
        }
        if (user is not { Active: true })
        {
            ChatLog.Unregistered(_logger, sender.Handle, sender.Id, provider.Name);
            var creators = await UserCreatorsAsync(provider, cancellationToken).ConfigureAwait(false);
            await NoticeAsync(origin, ChatMessages.UnregisteredUserTemplate, cancellationToken, ("mention", mention), ("provider", provider.Name),
                ("display_name", ChatMessages.DisplayName(provider.Name)), ("handle", sender.Handle), ("user_creators", creators)).ConfigureAwait(false);
            return;
        }

        var plan = _destinations.ForChat(provider, message.Room, message.ThreadId, sender, user.Id);
        var request = new PipelineRequest(text, new PipelineCaller(user.Id, user.Username, sender.Handle, user.EmailAddress, provider.Name),
            new PipelineRoom(message.Room.Name, message.Room.IsDirect))
        {
            Destinations = plan,
        };
        var outcome = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        using var reply = CogTracing.Source.StartActivity("cog.chat.reply")?.SetTag("cog.pipeline.id", outcome.PipelineId);
        await _destinations.DeliverAsync(plan, outcome, new ReplyContext(text, "@" + sender.Handle, started), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Mention objects of the users who hold <see cref="ManageUsersPermission"/> and a handle on <paramref name="provider"/>.</summary>
    async Task<ListValue> UserCreatorsAsync(IChatProvider provider, CancellationToken cancellationToken)
    {
        var mentions = ImmutableArray.CreateBuilder<Value>();
        foreach (var handle in await _users.ListChatHandlesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(handle.Provider, provider.Name, StringComparison.OrdinalIgnoreCase))
                continue;
            var permissions = await _directory.GetPermissionsAsync(handle.UserId, cancellationToken).ConfigureAwait(false);
            if (permissions.Contains(ManageUsersPermission))
                mentions.Add(MentionData.Create(provider.Name, handle.ProviderUserId, handle.Handle));
        }
        return new ListValue(mentions.ToImmutable());
    }

    async Task NoticeAsync(ChatDestination origin, string template, CancellationToken cancellationToken, params (string Name, object Value)[] data)
    {
        var members = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(data.Length);
        foreach (var (name, value) in data)
            members.Add(new(name, value as Value ?? new StringValue((string)value)));
        var body = await _composer.ComposeCommonAsync(template, new ObjectValue(members.MoveToImmutable()), cancellationToken).ConfigureAwait(false);
        await _destinations.TrySendAsync(origin, body, null, cancellationToken).ConfigureAwait(false);
    }
}
