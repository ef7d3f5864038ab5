using System.Collections.Frozen;
using System.Collections.Immutable;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// Runs the commands of Cog's own bundle, <c>operable</c>, in the server process: the pipeline
/// building blocks (<c>echo</c>, <c>seed</c>, <c>raw</c>, <c>filter</c>, <c>sort</c>, <c>unique</c>, <c>count</c>,
/// <c>min</c>, <c>max</c>, <c>tee</c>, <c>cat</c>, <c>sleep</c>, <c>abort-when</c>) and <c>help</c>, <c>info</c> and
/// <c>which</c>; with a <see cref="BuiltInAdministration"/>, also <c>history</c>, <c>pipeline-list</c>,
/// <c>pipeline-info</c>, <c>pipeline-kill</c> and <c>alias-create</c>, <c>-delete</c>, <c>-info</c>, <c>-list</c>,
/// <c>-move</c>; with its <see cref="BuiltInAdministration.Services"/>, also the administrative commands
/// (<c>bundle-*</c>, <c>rule-*</c>, <c>permission-*</c>, <c>role-*</c>, <c>group-*</c>, <c>user-*</c>, <c>relay-*</c>,
/// <c>relay-group-*</c>, <c>trigger-*</c>). Their manifest is <c>bundles/operable/config.yaml</c>.
/// </summary>
/// <remarks>
/// <para>Collect-all commands (<c>sort</c>, <c>unique</c>, <c>count</c>, <c>min</c>, <c>max</c>, <c>tee</c>,
/// <c>sleep</c>) gather the items of their stage by invocation id and answer at the last item; what they gathered is
/// dropped then, when they fail, and after <see cref="BuiltInOptions.CollectionExpiry"/> without a new item.</para>
/// <para>Never throws for a failing command: bad input is an error outcome with a message from
/// <see cref="BuiltInMessages"/>; a stopped pipeline (kill or deadline) ends a running command with an error outcome;
/// an exception from a command (a bug) becomes an error outcome too. Thread-safe.</para>
/// </remarks>
public sealed class BuiltInCommands : ICommandExecutor
{
    /// <summary>The name of the built-in bundle.</summary>
    public const string BundleName = "operable";

    readonly FrozenDictionary<string, IBuiltInCommand> _commands;

    /// <summary>Creates the built-in commands over their ports.</summary>
    /// <param name="directory">The command space, aliases and permissions (for <c>which</c> and <c>help</c>).</param>
    /// <param name="documentation">The installed bundles' documentation (for <c>help</c>).</param>
    /// <param name="data">Where <c>tee</c> saves and <c>cat</c> reads.</param>
    /// <param name="time">The clock of <c>sleep</c>, command timeouts and the expiry of gathered items.</param>
    /// <param name="options">Versions, instance name and expiry.</param>
    /// <param name="administration">The store, running pipelines, audit and change notifications for <c>history</c>,
    /// <c>pipeline-*</c> and <c>alias-*</c>; without it (tests of the data commands, benchmarks) those commands are not
    /// available.</param>
    public BuiltInCommands(IPipelineDirectory directory, IBundleDocumentation documentation, INamedDataStore data, TimeProvider time, BuiltInOptions options,
        BuiltInAdministration? administration = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(documentation);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        Collector = new ItemCollector(time, options.CollectionExpiry);
        IBuiltInCommand[] commands =
        [
            new EchoCommand(),
            new SeedCommand(),
            new RawCommand(),
            new FilterCommand(),
            new SortCommand(Collector),
            new UniqueCommand(Collector),
            new CountCommand(Collector),
            new ExtremeCommand(Collector, largest: false),
            new ExtremeCommand(Collector, largest: true),
            new TeeCommand(Collector, data),
            new CatCommand(data),
            new SleepCommand(Collector, time),
            new AbortWhenCommand(),
            new HelpCommand(directory, documentation),
            new InfoCommand(options),
            new WhichCommand(directory),
        ];
        if (administration is not null)
        {
            commands =
            [
                .. commands,
                new HistoryCommand(administration),
                new PipelineListCommand(administration, directory, time),
                new PipelineInfoCommand(administration, directory, time),
                new PipelineKillCommand(administration, directory),
                new AliasCreateCommand(administration),
                new AliasDeleteCommand(administration),
                new AliasInfoCommand(administration),
                new AliasListCommand(administration),
                new AliasMoveCommand(administration, directory),
            ];
            if (administration.Services is { } services)
            {
                commands =
                [
                    .. commands,
                    .. BundleAdminCommands.Create(services),
                    .. RuleAdminCommands.Create(services),
                    .. PermissionAdminCommands.Create(services),
                    .. RoleAdminCommands.Create(services),
                    .. GroupAdminCommands.Create(services),
                    .. UserAdminCommands.Create(services),
                    .. RelayAdminCommands.Create(services),
                    .. RelayGroupAdminCommands.Create(services),
                    .. TriggerAdminCommands.Create(services),
                ];
            }
        }
        _commands = commands.ToFrozenDictionary(static c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The names of the built-in commands, sorted.</summary>
    public ImmutableArray<string> CommandNames => [.. _commands.Keys.Order(StringComparer.Ordinal)];

    /// <summary>What collect-all commands have gathered (for tests).</summary>
    internal ItemCollector Collector { get; }

    /// <inheritdoc/>
    public async Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Bundle != BundleName || !_commands.TryGetValue(call.Command, out var command))
        {
            return CommandOutcome.Error(BuiltInMessages.UnknownCommand(call.Bundle, call.Command));
        }
        CommandOutcome outcome;
        try
        {
            outcome = await command.RunAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = CommandOutcome.Error(BuiltInMessages.Stopped(call.InvocationText));
        }
#pragma warning disable CA1031 // The executor is the one place that turns a command's bug into an error outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = CommandOutcome.Error(BuiltInMessages.Failed(call.InvocationText, e.Message));
        }
        if (outcome.Status != Contracts.Relays.ResultStatus.Ok && command.CollectsAll)
        {
            Collector.Drop(call.InvocationId);
        }
        return outcome;
    }
}
