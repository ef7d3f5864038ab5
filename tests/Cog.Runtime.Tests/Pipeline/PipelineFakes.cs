using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Tests.Pipeline;

/// <summary>A command space and directory built from a few lines of test data.</summary>
sealed class FakeDirectory : IPipelineDirectory, ICommandSpace
{
    readonly List<InstalledBundle> _bundles = [];
    readonly Dictionary<string, ImmutableArray<RuleSyntax>> _rules = [];
    readonly Dictionary<string, TimeSpan> _timeouts = [];
    readonly Dictionary<string, HashSet<string>> _permissions = [];
    readonly Dictionary<string, List<AliasDefinition>> _userAliases = [];
    readonly List<AliasDefinition> _siteAliases = [];
    CommandCatalog? _catalog;

    /// <summary>Adds a bundle whose commands each have the rules given (texts of the rule language).</summary>
    public FakeDirectory Bundle(string name, string version, params (string Command, OptionDefinition[] Options, string[] Rules)[] commands)
    {
        _bundles.Add(new InstalledBundle(name, version, commands.Select(c => new BundleCommand(c.Command, c.Options))));
        foreach (var (command, _, rules) in commands)
            _rules[$"{name}:{command}"] = [.. rules.Select(r => RuleParser.Parse(r).Value)];
        _catalog = null;
        return this;
    }

    public FakeDirectory Grant(string userId, params string[] permissions)
    {
        if (!_permissions.TryGetValue(userId, out var set))
            _permissions[userId] = set = new HashSet<string>(StringComparer.Ordinal);
        set.UnionWith(permissions);
        return this;
    }

    public FakeDirectory SiteAlias(string name, string text)
    {
        _siteAliases.Add(new AliasDefinition(name, text, PipelineParser.Parse(text).Value));
        return this;
    }

    public FakeDirectory UserAlias(string userId, string name, string text)
    {
        if (!_userAliases.TryGetValue(userId, out var list))
            _userAliases[userId] = list = [];
        list.Add(new AliasDefinition(name, text, PipelineParser.Parse(text).Value));
        return this;
    }

    public FakeDirectory Timeout(string qualifiedName, TimeSpan timeout)
    {
        _timeouts[qualifiedName] = timeout;
        return this;
    }

    public CommandCatalog Commands => _catalog ??= new CommandCatalog(_bundles);

    public AliasCatalog SiteAliases => new(_siteAliases);

    public ImmutableArray<RuleSyntax> RulesFor(string bundle, string command) =>
        _rules.TryGetValue($"{bundle}:{command}", out var rules) ? rules : [];

    public TimeSpan TimeoutFor(string bundle, string command) =>
        _timeouts.TryGetValue($"{bundle}:{command}", out var timeout) ? timeout : TimeSpan.FromSeconds(60);

    /// <summary>Runs when a pipeline loads the command space, in the middle of its planning.</summary>
    public Action? WhilePlanning { get; set; }

    public ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken)
    {
        WhilePlanning?.Invoke();
        return ValueTask.FromResult<ICommandSpace>(this);
    }

    public ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_userAliases.TryGetValue(userId, out var list) ? new AliasCatalog(list) : AliasCatalog.Empty);

    public ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlySet<string>>(_permissions.TryGetValue(userId, out var set) ? set : new HashSet<string>());
}

/// <summary>Runs commands by a function per qualified name, and remembers every call.</summary>
sealed class FakeExecutor : ICommandExecutor
{
    readonly Dictionary<string, Func<CommandCall, CancellationToken, Task<CommandOutcome>>> _commands = [];

    public ConcurrentQueue<CommandCall> Calls { get; } = new();

    public FakeExecutor On(string qualifiedName, Func<CommandCall, CommandOutcome> run)
    {
        _commands[qualifiedName] = (call, _) => Task.FromResult(run(call));
        return this;
    }

    public FakeExecutor OnAsync(string qualifiedName, Func<CommandCall, CancellationToken, Task<CommandOutcome>> run)
    {
        _commands[qualifiedName] = run;
        return this;
    }

    public Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        Calls.Enqueue(call);
        return _commands.TryGetValue($"{call.Bundle}:{call.Command}", out var run)
            ? run(call, cancellationToken)
            : Task.FromResult(CommandOutcome.Error($"no fake for {call.Bundle}:{call.Command}"));
    }

    /// <summary>An echo: one item <c>{"body": [args...]}</c>, as Cog's <c>echo</c> returns.</summary>
    public static CommandOutcome Echo(CommandCall call) =>
        CommandOutcome.Ok([new ObjectValue([new("body", new ListValue(call.Input.Arguments))])]);
}

/// <summary>Collects audit events; can be told to fail.</summary>
sealed class CollectingAudit : IPipelineAudit
{
    public ConcurrentQueue<PipelineEvent> Events { get; } = new();

    public Func<PipelineEvent, bool> FailWhen { get; set; } = _ => false;

    /// <summary>How many events each record call carried (each call is one durable write).</summary>
    public ConcurrentQueue<int> Writes { get; } = new();

    public ValueTask RecordAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken)
    {
        if (events.Any(FailWhen))
            throw new IOException("disk full");
        foreach (var pipelineEvent in events)
            Events.Enqueue(pipelineEvent);
        Writes.Enqueue(events.Count);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> RecordOrSpoolAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken)
    {
        await RecordAsync(events, cancellationToken);
        return false;
    }

    public IEnumerable<T> Of<T>() => Events.OfType<T>();
}

static class Some
{
    public static readonly PipelineCaller Alice = new("u-alice", "alice", "alice.w", "alice@example.com", "slack");

    public static readonly PipelineRoom Ops = new("ops", false);

    public static PipelineRequest Request(string text) => new(text, Alice, Ops);

    public static (string, OptionDefinition[], string[]) Command(string name, params string[] rules) => (name, [], rules);

    public static (string, OptionDefinition[], string[]) Command(string name, OptionDefinition[] options, params string[] rules) => (name, options, rules);

    public static ResultStatus Ok => ResultStatus.Ok;
}
