using System.Collections.Concurrent;
using Cog.Language.Values;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Pipeline;
using Cog.Runtime.Tests.Relays;
using Cog.Testing;
using Cog.Testing.Chat;
using Cog.Testing.Rendering;

namespace Cog.Runtime.Tests.Chat;

/// <summary>The chat service as the server wires it, over the real runner (SQLite store, <c>operable</c> installed,
/// durable audit), with two fake providers: <c>slack</c> (bot mention <c>@cog</c>) and <c>web</c>.</summary>
sealed class ChatWorld : IAsyncDisposable
{
    ChatWorld(RunnerWorld runner, ChatServiceOptions options)
    {
        Runner = runner;
        Pipelines = new RecordingRunner(runner.Runner);
        var audit = new AdminAudit(runner.Writer, runner.Store.Time);
        var passwords = new PasswordHasher(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });
        Users = new UserAdministration(Store, passwords, audit, runner.Store.Directory,
            [new ChatProviderHandleResolver(Slack), new ChatProviderHandleResolver(Web)]);
        Providers = new ChatProviders([Slack, Web]);
        Destinations = new ChatDestinations(Providers, Store.Users, Composer, DeliveryLog);
        Service = new ChatService(Destinations, Pipelines, Composer, Store.Users, runner.Store.Directory, Users, runner.Store.Time, options, Log);
    }

    public RunnerWorld Runner { get; }

    public IStore Store => Runner.Store.Store;

    public FakeChatProvider Slack { get; } = new("slack", "@cog");

    public FakeChatProvider Web { get; } = new("web", null);

    public ChatProviders Providers { get; }

    public RecordingComposer Composer { get; } = new();

    public RecordingRunner Pipelines { get; }

    public UserAdministration Users { get; }

    public ChatDestinations Destinations { get; }

    public ChatService Service { get; }

    public CollectingLogger<ChatService> Log { get; } = new();

    public CollectingLogger<ChatDestinations> DeliveryLog { get; } = new();

    /// <summary>Room <c>#ops</c> on slack (Cog is a member).</summary>
    public ChatRoom Ops { get; private set; } = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ChatWorld> StartAsync(ChatServiceOptions? options = null)
    {
        var world = new ChatWorld(await RunnerWorld.OpenAsync(), options ?? new ChatServiceOptions());
        world.Ops = world.Slack.AddRoom("ops");
        await world.Service.StartAsync(Ct);
        return world;
    }

    /// <summary>A Cog user <paramref name="handle"/> with a handle on <paramref name="provider"/> (slack by default)
    /// holding <paramref name="permissions"/>; the person on the provider.</summary>
    public async Task<ChatUser> PersonAsync(string handle, FakeChatProvider? provider = null, params string[] permissions)
    {
        provider ??= Slack;
        var person = provider.AddUser(handle);
        var user = await Store.Users.FindByUsernameAsync(handle, Ct) ?? await Runner.Store.UserAsync(handle);
        (await Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), user.Id, provider.Name, handle, person.Id), Ct)).GetValueOrThrow();
        foreach (var permission in permissions)
            await Runner.Store.GrantAsync(user, permission);
        Runner.Store.Directory.GrantsChanged();
        return person;
    }

    /// <summary>Waits until no message is being handled.</summary>
    public Task IdleAsync() => Eventually.TrueAsync(() => Service.InFlight == 0, "the chat service to be idle");

    /// <summary>The audit records of one kind.</summary>
    public Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) => Runner.AuditAsync(kind);

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Runner.DisposeAsync();
    }
}

/// <summary>The real templated composer (without bundle templates), recording the common templates asked for and the
/// data the chat service gave them.</summary>
sealed class RecordingComposer : IReplyComposer
{
    readonly TemplateReplyComposer _real = TestComposers.WithoutBundleTemplates();

    public ConcurrentQueue<(string Template, Value Data)> Common { get; } = new();

    public ValueTask<ReplyDocument> ComposeAsync(PipelineOutcome outcome, ReplyContext context, CancellationToken cancellationToken) =>
        _real.ComposeAsync(outcome, context, cancellationToken);

    public ValueTask<ReplyDocument> ComposeCommonAsync(string template, Value data, CancellationToken cancellationToken)
    {
        Common.Enqueue((template, data));
        return _real.ComposeCommonAsync(template, data, cancellationToken);
    }
}

/// <summary>The real runner, recording the requests (or throwing once when told to).</summary>
sealed class RecordingRunner(IPipelineRunner inner) : IPipelineRunner
{
    public ConcurrentQueue<PipelineRequest> Requests { get; } = new();

    public Exception? ThrowNext { get; set; }

    public Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (ThrowNext is { } failure)
        {
            ThrowNext = null;
            throw failure;
        }
        return inner.RunAsync(request, cancellationToken);
    }

    public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) => inner.ExplainAsync(request, cancellationToken);
}
