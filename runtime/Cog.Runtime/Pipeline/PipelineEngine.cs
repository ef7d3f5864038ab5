using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Language.Binding;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Language.Text;
using Cog.Language.Values;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Pipeline;

/// <summary>
/// Runs a line of text as a pipeline (Cog 1.0's execution model, with per-stage authorization): parse, resolve against one snapshot
/// of the command space and the caller's aliases, authorize every stage that has no variables before anything runs,
/// then stage by stage and item by item bind, interpret options, authorize, record, dispatch and collect.
/// </summary>
/// <remarks>
/// <para>Any failure halts the whole pipeline and discards the output produced so far; only the error is reported.
/// A stage that produces no items ends the pipeline with <see cref="PipelineStatus.NoOutput"/>. The template of the
/// result is the one named by the last item's response.</para>
/// <para>Every decision is recorded in the audit log (<see cref="IPipelineAudit"/>) and awaited before the invocation is
/// dispatched. The pipeline's cancellation token (a kill) and its deadline stop planning, and reach the running command through the
/// executor.</para>
/// <para>Thread-safe: one engine runs any number of pipelines at once.</para>
/// </remarks>
public sealed class PipelineEngine
{
    readonly IPipelineDirectory _directory;
    readonly ICommandExecutor _executor;
    readonly IPipelineAudit _audit;
    readonly TimeProvider _time;
    readonly PipelineEngineOptions _options;

    /// <summary>Creates an engine over its ports.</summary>
    public PipelineEngine(IPipelineDirectory directory, ICommandExecutor executor, IPipelineAudit audit, TimeProvider time, PipelineEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        (_directory, _executor, _audit, _time, _options) = (directory, executor, audit, time, options);
    }

    /// <summary>Runs <paramref name="request"/> to its end. Never throws for bad input, refusals or failing commands:
    /// those are outcomes. Throws <see cref="OperationCanceledException"/> only if <paramref name="cancellationToken"/>
    /// fires before the pipeline started.</summary>
    public async Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var run = new Run(this, request, request.PipelineId ?? Guid.NewGuid().ToString("D"), _time.GetTimestamp());
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans <paramref name="request"/> exactly as <see cref="RunAsync"/> does before it runs anything (parse,
    /// resolve, prepare, authorization preview) and says what was decided for every stage; runs nothing. The explanation
    /// is recorded in the audit log (<see cref="PipelineExplained"/>) before it is returned.</summary>
    /// <remarks>Never throws for bad input or refusals: those are the explanation. Throws when the audit log cannot
    /// record it (nothing is answered unrecorded), and <see cref="OperationCanceledException"/> when cancelled.</remarks>
    public async Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var plan = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
        var explanation = plan.Explain(request);
        var explained = new PipelineExplained(request.PipelineId ?? Guid.NewGuid().ToString("D"), _time.GetUtcNow(), request.Caller, request.Room,
            request.Text, explanation.Decision, explanation.Message, explanation.Stages, request.RequestedBy);
        await _audit.RecordAsync([explained], cancellationToken).ConfigureAwait(false);
        return explanation;
    }

    /// <summary>The planning path shared by <see cref="RunAsync"/> and <see cref="ExplainAsync"/>: parse, resolve against one
    /// snapshot, prepare every stage, and authorize, in order, every stage without variables until the first refusal.</summary>
    /// <remarks>Bounded by the options' <see cref="PipelineEngineOptions.Limits"/>; every step checks
    /// <paramref name="cancellationToken"/> (the pipeline's kill and deadline) as it goes, so a kill or the deadline ends
    /// planning as it ends a running command.</remarks>
    async Task<Plan> PlanAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        var limits = _options.Limits;
        var parsed = PipelineParser.Parse(request.Text, limits, cancellationToken);
        if (!parsed.TryGetValue(out var syntax))
            return Plan.Failed(parsed.Error!);

        var spaceTask = _directory.GetCommandSpaceAsync(cancellationToken);
        var aliasesTask = _directory.GetUserAliasesAsync(request.Caller.UserId, cancellationToken);
        var permissionsTask = _directory.GetPermissionsAsync(request.Caller.UserId, cancellationToken);
        var space = await spaceTask.ConfigureAwait(false);
        var aliases = await aliasesTask.ConfigureAwait(false);
        var permissions = await permissionsTask.ConfigureAwait(false);

        var resolved = CommandResolver.Resolve(syntax, space.Commands, aliases, space.SiteAliases, limits, cancellationToken);
        if (!resolved.TryGetValue(out var pipeline))
            return Plan.Failed(resolved.Error!);

        var stages = ImmutableArray.CreateBuilder<PreparedStage>(pipeline.Stages.Length);
        foreach (var stage in pipeline.Stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bundle = stage.Bundle.Name;
            var command = stage.Command.Name;
            stages.Add(new PreparedStage(stage, OptionTable.Create(stage.QualifiedName, stage.Options),
                space.RulesFor(bundle, command), space.RuleProblemFor(bundle, command), space.TimeoutFor(bundle, command)));
        }
        var plan = new Plan(pipeline, stages.MoveToImmutable(), permissions);
        plan.Preview(cancellationToken);
        return plan;
    }

    /// <summary>The state of one running pipeline.</summary>
    sealed class Run(PipelineEngine engine, PipelineRequest request, string pipelineId, long startedAt)
    {
        readonly List<PipelineEvent> _deferred = [];

        /// <summary>Whether the pipeline's start is in the audit log: from then on its records are facts that may be
        /// spooled while the store is unavailable.</summary>
        bool _startRecorded;

        /// <summary>Whether a record of this pipeline went to the spool: nothing more is dispatched.</summary>
        bool _spooled;

        /// <summary>The last invocation that ran.</summary>
        string? _lastRan;

        PipelineCaller Caller => request.Caller;

        public async Task<PipelineOutcome> ExecuteAsync(CancellationToken killed)
        {
            using var span = CogTracing.Source.StartActivity("cog.pipeline")?
                .SetTag("cog.pipeline.id", pipelineId)
                .SetTag("cog.pipeline.provider", Caller.Provider)
                .SetTag("cog.user", Caller.Username);
            var outcome = await ExecuteTracedAsync(killed).ConfigureAwait(false);
            span?.SetTag("cog.pipeline.status", CogMetrics.StatusName(outcome.Status));
            if (outcome.Status is PipelineStatus.ExecutionFailed or PipelineStatus.PlanningFailed)
                CogTracing.Failed(span, outcome.Message);
            return outcome;
        }

        async Task<PipelineOutcome> ExecuteTracedAsync(CancellationToken killed)
        {
            var deadline = request.Deadline ?? engine._options.PipelineDeadline;
            using var timeout = new CancellationTokenSource(deadline, engine._time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(killed, timeout.Token);
            PipelineOutcome outcome;
            try
            {
                Defer(new PipelineStarted(pipelineId, Now, Caller, request.Room, request.Text));
                outcome = await PlanAndRunAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                var message = killed.IsCancellationRequested ? PipelineMessages.Killed(pipelineId) : PipelineMessages.DeadlineExceeded(deadline);
                outcome = Failure(PipelineStatus.ExecutionFailed, message, null, null);
            }
            catch (AuditFailedException)
            {
                // Nothing more may run unrecorded; the end cannot be recorded either.
                return Failure(PipelineStatus.ExecutionFailed, PipelineMessages.AuditUnavailable, null, null) with { Audit = PipelineAuditState.Unavailable };
            }
            try
            {
                var ended = new PipelineEnded(pipelineId, Now, outcome.Status, outcome.Message, engine._time.GetElapsedTime(startedAt));
                Defer(ended);
                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (AuditFailedException)
            {
                return Failure(PipelineStatus.ExecutionFailed, PipelineMessages.AuditUnavailable, null, null) with { Audit = PipelineAuditState.Unavailable };
            }
            return _spooled ? outcome with { Audit = PipelineAuditState.Pending } : outcome;
        }

        async Task<PipelineOutcome> PlanAndRunAsync(CancellationToken cancellationToken)
        {
            var plan = await engine.PlanAsync(request, cancellationToken).ConfigureAwait(false);
            if (plan.Error is { } error)
                return Failure(PipelineStatus.PlanningFailed, error.Message, error.Position, null);
            // Cog 1.0: every destination is resolved before anything runs.
            if (request.Destinations is { } destinations
                && await destinations.CheckAsync(plan.Pipeline!.Redirect, cancellationToken).ConfigureAwait(false) is { } invalid)
                return Failure(PipelineStatus.PlanningFailed, invalid, null, null);
            var stages = plan.Stages;
            if (plan.RefusedStage >= 0)
            {
                var (_, text, decision) = stages[plan.RefusedStage].Preview!.Value;
                Defer(Decided(stages[plan.RefusedStage], plan.RefusedStage, text, decision, preview: true));
                return Failure(PipelineStatus.PlanningFailed, decision.Message, null, text);
            }

            var items = request.InitialItems;
            string? template = null;
            for (var index = 0; index < stages.Length; index++)
            {
                var stage = stages[index];
                var invocationId = Guid.NewGuid().ToString("D");
                var output = ImmutableArray.CreateBuilder<Value>();
                for (var i = 0; i < items.Length; i++)
                {
                    var step = items.Length == 1 || i == items.Length - 1 ? ItemStep.Last : i == 0 ? ItemStep.First : ItemStep.Middle;
                    (CommandOutcome? result, PipelineOutcome? failure) = await InvokeAsync(stage, index, invocationId, items[i], step, plan.Permissions, cancellationToken).ConfigureAwait(false);
                    if (failure is not null)
                        return failure;
                    output.AddRange(result!.Items);
                    template = result.Template;
                }
                if (output.Count == 0)
                    return new PipelineOutcome(pipelineId, PipelineStatus.NoOutput, [], null, PipelineMessages.NoOutput, null, null, null);
                items = output.DrainToImmutable();
            }
            var last = stages[^1].Resolved;
            return new PipelineOutcome(pipelineId, PipelineStatus.Succeeded, items, template, null, null, null, plan.Pipeline!.Redirect)
            {
                TemplateSource = new TemplateSource(last.Bundle.Name, last.Version, last.Command.Name),
            };
        }

        async Task<(CommandOutcome? Result, PipelineOutcome? Failure)> InvokeAsync(
            PreparedStage stage, int index, string invocationId, Value item, ItemStep step, IReadOnlySet<string> permissions, CancellationToken cancellationToken)
        {
            CommandInput input;
            string text;
            RuleDecision decision;
            if (stage.Preview is { } preview)
            {
                (input, text, decision) = preview;
            }
            else
            {
                var (bound, boundText, error) = stage.Bind(item);
                if (error is not null)
                    return (null, Failure(PipelineStatus.ExecutionFailed, error.Message, error.Position, null));
                (input, text) = (bound!, boundText!);
                decision = stage.Decide(text, permissions, input);
            }
            Defer(Decided(stage, index, text, decision, preview: false));
            if (!decision.IsAllowed)
                return (null, Failure(PipelineStatus.ExecutionFailed, decision.Message, null, text));
            // Durable before dispatch: this decision and everything deferred before it.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            // Spooled: a command before this one ran while the store was down; nothing more runs until it is back.
            if (_spooled)
                return (null, Failure(PipelineStatus.ExecutionFailed, PipelineMessages.AuditPending(_lastRan!), null, _lastRan));

            var call = new CommandCall(pipelineId, invocationId, index, stage.Resolved.Bundle.Name, stage.Resolved.Version,
                stage.Resolved.Command.Name, input, item, step, Caller, request.Room, stage.Timeout, text);
            var started = engine._time.GetTimestamp();
            CommandOutcome result;
            // The dispatch's span: its context travels with the invocation to the relay.
            using (var span = CogTracing.Source.StartActivity("cog.invocation", ActivityKind.Client)?
                .SetTag("cog.bundle", call.Bundle)
                .SetTag("cog.command", stage.Resolved.QualifiedName)
                .SetTag("cog.invocation.id", invocationId))
            {
                try
                {
                    result = await engine._executor.ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // An executor that stops by throwing (its contract says it answers an error outcome) still ended a
                    // dispatched command, which gets its completion record like any other.
                    result = CommandOutcome.Error(RelayMessages.Cancelled(call.Bundle, call.Command));
                }
                span?.SetTag("cog.relay.id", result.RelayId).SetTag("cog.invocation.status", result.Status.ToString().ToLowerInvariant());
                if (result.Status == ResultStatus.Error)
                    CogTracing.Failed(span, result.Message);
            }
            // Every dispatched command ends with a completion record, also when the pipeline is killed or passes its
            // deadline while it runs: the record is kept (written with the pipeline's end) before the stop is acted on.
            Defer(new InvocationCompleted(pipelineId, Now, index, text, result.RelayId, result.Status, result.Message,
                engine._time.GetElapsedTime(started)));
            _lastRan = text;
            cancellationToken.ThrowIfCancellationRequested();

            switch (result.Status)
            {
                case ResultStatus.Error:
                    return (null, Failure(PipelineStatus.ExecutionFailed, result.Message, null, text));
                case ResultStatus.Abort:
                    return (null, new PipelineOutcome(pipelineId, PipelineStatus.Aborted, [], result.Template, result.Message, null, text, null)
                    {
                        TemplateSource = new TemplateSource(stage.Resolved.Bundle.Name, stage.Resolved.Version, stage.Resolved.Command.Name),
                    });
            }
            foreach (var output in result.Items)
            {
                if (output is not ObjectValue)
                    return (null, Failure(PipelineStatus.ExecutionFailed, PipelineMessages.ItemNotObject(text), null, text));
            }
            return (result, null);
        }

        InvocationDecided Decided(PreparedStage stage, int index, string text, RuleDecision decision, bool preview) =>
            new(pipelineId, Now, Caller, request.Room, index, text, decision.Outcome,
                decision.DecidingRule is { } rule ? RulePrinter.Print(rule) : null, decision.Missing, preview, stage.Resolved.Aliases, decision.Reason);

        /// <summary>Keeps an event for the next record (before the next dispatch, or with the pipeline's end).</summary>
        void Defer(PipelineEvent pipelineEvent) => _deferred.Add(pipelineEvent);

        /// <summary>Records the deferred events durably, as one write.</summary>
        async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_deferred.Count == 0)
                return;
            PipelineEvent[] events = [.. _deferred];
            _deferred.Clear();
            using var span = CogTracing.Source.StartActivity("cog.audit.write")?.SetTag("cog.audit.events", events.Length);
            try
            {
                // The start (and the decisions before the first dispatch) must reach the audit log, or nothing runs;
                // after that, a record that cannot reach it is spooled (a command already ran).
                if (_startRecorded)
                    _spooled |= await engine._audit.RecordOrSpoolAsync(events, cancellationToken).ConfigureAwait(false);
                else
                    await engine._audit.RecordAsync(events, cancellationToken).ConfigureAwait(false);
                _startRecorded = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                CogTracing.Failed(span, e.Message);
                throw new AuditFailedException(e);
            }
        }

        PipelineOutcome Failure(PipelineStatus status, string? message, SourcePosition? position, string? invocation) =>
            new(pipelineId, status, [], null, message, position, invocation, null);

        DateTimeOffset Now => engine._time.GetUtcNow();
    }

    static readonly ObjectValue EmptyItem = new([]);

    /// <summary>What planning found: the resolved, prepared stages and the decisions taken before anything runs, or the
    /// error that stops the pipeline before it starts.</summary>
    sealed class Plan
    {
        static readonly IReadOnlySet<string> NoPermissions = new HashSet<string>();

        Plan(ResolvedPipeline? pipeline, ImmutableArray<PreparedStage> stages, IReadOnlySet<string> permissions, LanguageError? error)
        {
            (Pipeline, Stages, Permissions, Error) = (pipeline, stages, permissions, error);
        }

        public Plan(ResolvedPipeline pipeline, ImmutableArray<PreparedStage> stages, IReadOnlySet<string> permissions)
            : this(pipeline, stages, permissions, null)
        {
        }

        public static Plan Failed(LanguageError error) => new(null, [], NoPermissions, error);

        public ResolvedPipeline? Pipeline { get; }

        public ImmutableArray<PreparedStage> Stages { get; }

        public IReadOnlySet<string> Permissions { get; }

        /// <summary>A parse or resolution error, or a binding or option error of a stage without variables.</summary>
        public LanguageError? Error { get; private set; }

        /// <summary>The stage whose binding failed before anything ran, or -1.</summary>
        public int FailedStage { get; private set; } = -1;

        /// <summary>The first stage the rules refused before anything ran, or -1.</summary>
        public int RefusedStage { get; private set; } = -1;

        /// <summary>Authorizes, before anything runs, every stage whose arguments do not depend on the items, in order,
        /// stopping at the first binding error or refusal.</summary>
        public void Preview(CancellationToken cancellationToken)
        {
            for (var index = 0; index < Stages.Length; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stage = Stages[index];
                if (stage.HasVariables)
                    continue;
                var (input, text, error) = stage.Bind(EmptyItem);
                if (error is not null)
                {
                    (Error, FailedStage) = (error, index);
                    return;
                }
                var decision = stage.Decide(text!, Permissions, input!);
                stage.Preview = (input!, text!, decision);
                if (!decision.IsAllowed)
                {
                    RefusedStage = index;
                    return;
                }
            }
        }

        /// <summary>The plan as the explanation for the caller of <paramref name="request"/>.</summary>
        public PipelineExplanation Explain(PipelineRequest request)
        {
            if (Pipeline is null)
                return new PipelineExplanation(request.Text, request.Caller, ExplanationDecision.Error, Error!.Message, Error.Position, []);
            // The engine stops at the first binding error or refusal: later stages are not reached.
            var stop = RefusedStage >= 0 ? RefusedStage : FailedStage >= 0 ? FailedStage - 1 : Stages.Length - 1;
            var stages = ImmutableArray.CreateBuilder<StageExplanation>(Stages.Length);
            for (var index = 0; index < Stages.Length; index++)
                stages.Add(Stages[index].Explain(index, reached: index <= stop));
            if (Error is not null)
                return new PipelineExplanation(request.Text, request.Caller, ExplanationDecision.Error, Error.Message, Error.Position, stages.MoveToImmutable());
            if (RefusedStage < 0)
                return new PipelineExplanation(request.Text, request.Caller, ExplanationDecision.Allowed, null, null, stages.MoveToImmutable());
            var refusal = Stages[RefusedStage].Preview!.Value.Decision;
            var verdict = refusal.Outcome switch
            {
                RuleOutcome.Denied => ExplanationDecision.Denied,
                RuleOutcome.EvaluationFailed => ExplanationDecision.EvaluationFailed,
                _ => ExplanationDecision.NoRule,
            };
            return new PipelineExplanation(request.Text, request.Caller, verdict, refusal.Message, null, stages.MoveToImmutable());
        }
    }

    /// <summary>A resolved stage with what every item needs: its option table, rules and timeout.</summary>
    sealed class PreparedStage(ResolvedStage resolved, OptionTable options, ImmutableArray<RuleSyntax> rules, string? ruleProblem, TimeSpan timeout)
    {
        public ResolvedStage Resolved => resolved;

        /// <summary>Decides one bound invocation of this stage (<see cref="ICommandSpace.Decide"/>).</summary>
        public RuleDecision Decide(string text, IReadOnlySet<string> permissions, CommandInput input)
        {
            using var span = CogTracing.Source.StartActivity("cog.authorize")?.SetTag("cog.command", resolved.QualifiedName);
            var decision = ICommandSpace.Decide(rules, ruleProblem, text, permissions, input);
            span?.SetTag("cog.authorization.outcome", decision.Outcome.ToString().ToLowerInvariant())
                .SetTag("cog.authorization.rule", decision.DecidingRule is { } rule ? RulePrinter.Print(rule) : null);
            return decision;
        }

        public TimeSpan Timeout => timeout;

        /// <summary>Whether an argument refers to the input item, so the stage can only be authorized per item.</summary>
        public bool HasVariables { get; } = ArgumentsHaveVariables(resolved.Arguments);

        /// <summary>The input, text and decision taken before anything ran (stages without variables), reused for every item.</summary>
        public (CommandInput Input, string Text, RuleDecision Decision)? Preview { get; set; }

        public (CommandInput? Input, string? Text, LanguageError? Error) Bind(Value item)
        {
            var bound = VariableBinder.Bind(resolved.Arguments, item);
            if (!bound.TryGetValue(out var arguments))
                return (null, null, bound.Error);
            var interpreted = OptionInterpreter.Interpret(options, arguments, resolved.Span.Start);
            if (!interpreted.TryGetValue(out var input))
                return (null, null, interpreted.Error);
            return (input, InvocationText.Format(resolved.QualifiedName, arguments), null);
        }

        /// <summary>This stage in an explanation: decided (its preview), deferred (it has variables) or not reached.</summary>
        public StageExplanation Explain(int index, bool reached)
        {
            if (reached && Preview is var (_, text, decision))
            {
                var outcome = decision.Outcome switch
                {
                    RuleOutcome.Allowed => StageDecision.Allowed,
                    RuleOutcome.Denied => StageDecision.Denied,
                    RuleOutcome.EvaluationFailed => StageDecision.EvaluationFailed,
                    _ => StageDecision.NoRule,
                };
                var rule = decision.DecidingRule is { } deciding ? RulePrinter.Print(deciding) : null;
                return new StageExplanation(index + 1, resolved.QualifiedName, text, outcome, rule, decision.Missing, decision.Message, resolved.Aliases);
            }
            var unbound = new StringBuilder(resolved.QualifiedName);
            foreach (var argument in resolved.Arguments)
                unbound.Append(' ').Append(PipelinePrinter.Print(argument));
            var pending = reached && HasVariables ? StageDecision.Deferred : StageDecision.NotReached;
            return new StageExplanation(index + 1, resolved.QualifiedName, unbound.ToString(), pending, null, [], null, resolved.Aliases);
        }

        static bool ArgumentsHaveVariables(ImmutableArray<ArgumentSyntax> arguments)
        {
            foreach (var argument in arguments)
            {
                if (HasVariable(argument))
                    return true;
            }
            return false;
        }

        static bool HasVariable(ArgumentSyntax? argument) => argument switch
        {
            VariableArgument => true,
            InterpolatedArgument interpolated => interpolated.Parts.Any(static p => p is VariablePart),
            OptionArgument option => HasVariable(option.Value),
            _ => false,
        };
    }

    /// <summary>The audit log failed; carries the cause up to the pipeline's end.</summary>
    sealed class AuditFailedException(Exception inner) : Exception(inner.Message, inner);
}

/// <summary>Settings of the pipeline engine.</summary>
/// <param name="PipelineDeadline">The longest a whole pipeline may run unless its request says otherwise.</param>
public sealed record PipelineEngineOptions(TimeSpan PipelineDeadline)
{
    /// <summary>The bounds on a pipeline's text, stages, arguments and variables; the server uses the defaults.</summary>
    public PipelineLimits Limits { get; init; } = PipelineLimits.Default;

    /// <summary>The defaults: a pipeline may run for 5 minutes.</summary>
    public static PipelineEngineOptions Default { get; } = new(TimeSpan.FromMinutes(5));
}
