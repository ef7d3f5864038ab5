using Cog.Contracts.Relays;
using Cog.Language.Rules;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

public class PipelineEngineTests
{
    readonly FakeDirectory _directory = new FakeDirectory()
        .Bundle("tools", "1.0.0",
            Some.Command("echo", "when command is tools:echo allow"),
            Some.Command("secret", "when command is tools:secret must have tools:admin"),
            Some.Command("norules"),
            Some.Command("split", "when command is tools:split allow"),
            Some.Command("nothing", "when command is tools:nothing allow"),
            Some.Command("stop", "when command is tools:stop allow"),
            Some.Command("fail", "when command is tools:fail allow"));

    readonly FakeExecutor _executor = new FakeExecutor()
        .On("tools:echo", FakeExecutor.Echo)
        .On("tools:secret", FakeExecutor.Echo)
        .On("tools:split", call => CommandOutcome.Ok([.. call.Input.Arguments.Select(a => (Value)new ObjectValue([new("name", a)]))]))
        .On("tools:nothing", _ => CommandOutcome.Ok([]))
        .On("tools:stop", _ => CommandOutcome.Abort("stopped on purpose", "abort_template"))
        .On("tools:fail", _ => CommandOutcome.Error("it broke", "relay-7"));

    readonly CollectingAudit _audit = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    PipelineEngine Engine() => new(_directory, _executor, _audit, _time, PipelineEngineOptions.Default);

    Task<PipelineOutcome> Run(string text) => Engine().RunAsync(Some.Request(text), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_variable_binds_against_the_previous_stages_output()
    {
        var outcome = await Run("echo hello | echo $body[0]");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        var item = Assert.IsType<ObjectValue>(Assert.Single(outcome.Items));
        Assert.Equal("{\"body\":[\"hello\"]}", item.ToJson());
        Assert.Equal(["tools:echo hello", "tools:echo hello"], _executor.Calls.Select(c => c.InvocationText));
    }

    [Fact]
    public async Task Every_item_of_a_stage_runs_in_order_with_its_step_and_the_stages_invocation_id()
    {
        var outcome = await Run("split a b c | echo $name");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal(["{\"body\":[\"a\"]}", "{\"body\":[\"b\"]}", "{\"body\":[\"c\"]}"], outcome.Items.Select(i => i.ToJson()));
        var second = _executor.Calls.Skip(1).ToArray();
        Assert.Equal([ItemStep.First, ItemStep.Middle, ItemStep.Last], second.Select(c => c.Step));
        Assert.Single(second.Select(c => c.InvocationId).Distinct());
        Assert.NotEqual(_executor.Calls.First().InvocationId, second[0].InvocationId);
        Assert.Equal(ItemStep.Last, _executor.Calls.First().Step);
        Assert.Equal([0, 1, 1, 1], _executor.Calls.Select(c => c.Stage));
    }

    [Fact]
    public async Task A_denied_later_stage_stops_the_pipeline_before_anything_runs()
    {
        var outcome = await Run("echo one | secret two");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Equal(
            "Sorry, you aren't allowed to execute 'tools:secret two'.\nYou will need at least one of the following permissions to run this command: 'tools:admin'.",
            outcome.Message);
        Assert.Empty(_executor.Calls);
        var denial = Assert.Single(_audit.Of<InvocationDecided>());
        Assert.Equal((RuleOutcome.Denied, "tools:secret two", true), (denial.Outcome, denial.InvocationText, denial.Preview));
        Assert.Equal(["tools:admin"], denial.Missing);
        Assert.Equal("when command is tools:secret must have tools:admin", denial.DecidingRule);
    }

    [Fact]
    public async Task A_restricting_rule_with_a_pathological_regex_applies_and_the_denial_is_audited()
    {
        // The issue: the match of this regex timed out, neither == nor != held, and the allowing rule let the command run.
        const string Restricting = "when command is rtest:secret with arg[0] != /^(\\w+\\s?)*$/ must have rtest:admin";
        _directory.Bundle("rtest", "1.0.0", Some.Command("secret", Restricting, "when command is rtest:secret allow"));
        _executor.On("rtest:secret", FakeExecutor.Echo);

        var outcome = await Run("rtest:secret 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; rm -rf /'");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.StartsWith("Sorry, you aren't allowed to execute 'rtest:secret ", outcome.Message, StringComparison.Ordinal);
        Assert.EndsWith("You will need at least one of the following permissions to run this command: 'rtest:admin'.", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_executor.Calls);
        var denial = Assert.Single(_audit.Of<InvocationDecided>());
        Assert.Equal((RuleOutcome.Denied, Restricting), (denial.Outcome, denial.DecidingRule));
    }

    [Fact]
    public async Task A_command_whose_stored_rule_could_not_be_loaded_is_refused_with_the_reason_and_audited()
    {
        _directory.UnloadableRule("tools:echo", "stored rule r-1 does not parse: Unexpected end of input.");

        var outcome = await Run("echo hi");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Equal("Sorry, you aren't allowed to execute 'tools:echo hi': a stored rule of this command could not be loaded (stored rule r-1 does not parse: Unexpected end of input.), so the command is denied.",
            outcome.Message);
        Assert.Empty(_executor.Calls);
        var decided = Assert.Single(_audit.Of<InvocationDecided>());
        Assert.Equal((RuleOutcome.EvaluationFailed, "stored rule r-1 does not parse: Unexpected end of input."), (decided.Outcome, decided.Reason));
        var entry = Cog.Runtime.Audit.PipelineAuditLog.ToEntry(decided);
        Assert.Equal("evaluation_failed", entry.Outcome);
        Assert.Contains("\"reason\":\"stored rule r-1 does not parse: Unexpected end of input.\"", entry.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_with_variables_is_authorized_per_item_after_the_earlier_stages_ran()
    {
        var outcome = await Run("echo one | secret $body[0]");

        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.StartsWith("Sorry, you aren't allowed to execute 'tools:secret one'.", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("tools:secret one", outcome.FailedInvocation);
        Assert.Equal(["tools:echo one"], _executor.Calls.Select(c => c.InvocationText));
        Assert.Contains(_audit.Of<InvocationDecided>(), d => d is { Outcome: RuleOutcome.Denied, Preview: false });
    }

    [Fact]
    public async Task A_granted_permission_lets_the_command_run()
    {
        _directory.Grant(Some.Alice.UserId, "tools:admin");

        var outcome = await Run("secret two");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal("tools:secret two", Assert.Single(_executor.Calls).InvocationText);
    }

    [Fact]
    public async Task A_command_without_matching_rules_never_runs()
    {
        var outcome = await Run("norules");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Equal(
            "No rules match the supplied invocation of 'tools:norules'. Check your args and options, then confirm that the proper rules are in place.",
            outcome.Message);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task A_parse_error_is_a_positioned_planning_failure()
    {
        var outcome = await Run("echo 'unterminated");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.NotNull(outcome.Position);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task An_unknown_command_is_a_planning_failure()
    {
        var outcome = await Run("nosuchcommand");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Contains("nosuchcommand", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_without_output_ends_the_pipeline_early()
    {
        var outcome = await Run("nothing | echo never");

        Assert.Equal(PipelineStatus.NoOutput, outcome.Status);
        Assert.Equal("Pipeline executed successfully, but no output was returned", outcome.Message);
        Assert.Equal(["tools:nothing"], _executor.Calls.Select(c => c.InvocationText));
    }

    [Fact]
    public async Task A_command_error_halts_the_pipeline_and_discards_earlier_output()
    {
        var outcome = await Run("echo one | fail | echo never");

        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.Equal("it broke", outcome.Message);
        Assert.Equal("tools:fail", outcome.FailedInvocation);
        Assert.Empty(outcome.Items);
        var completed = _audit.Of<InvocationCompleted>().Last();
        Assert.Equal(("relay-7", ResultStatus.Error), (completed.RelayId, completed.Status));
    }

    [Fact]
    public async Task An_abort_stops_the_pipeline_with_the_commands_template()
    {
        var outcome = await Run("stop | echo never");

        Assert.Equal(PipelineStatus.Aborted, outcome.Status);
        Assert.Equal(("stopped on purpose", "abort_template"), (outcome.Message, outcome.Template));
    }

    [Fact]
    public async Task Aliases_expand_and_the_redirect_is_kept_for_routing()
    {
        _directory.SiteAlias("greet", "echo hi").UserAlias(Some.Alice.UserId, "mine", "greet there");

        var outcome = await Run("mine > #ops");

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal("tools:echo hi there", Assert.Single(_executor.Calls).InvocationText);
        Assert.Equal("#ops", Assert.Single(outcome.Redirect!.Targets).Text);
    }

    [Fact]
    public async Task The_audit_records_start_decision_completion_and_end_in_order()
    {
        var outcome = await Run("echo hi");

        Assert.Equal(
            [typeof(PipelineStarted), typeof(InvocationDecided), typeof(InvocationCompleted), typeof(PipelineEnded)],
            _audit.Events.Select(e => e.GetType()));
        Assert.All(_audit.Events, e => Assert.Equal(outcome.PipelineId, e.PipelineId));
        var started = Assert.Single(_audit.Of<PipelineStarted>());
        Assert.Equal(("echo hi", "alice", "ops"), (started.Text, started.Caller.Username, started.Room.Name));
        Assert.Equal(PipelineStatus.Succeeded, Assert.Single(_audit.Of<PipelineEnded>()).Status);
    }

    [Fact]
    public async Task The_start_and_the_decision_are_durable_in_one_write_before_dispatch_and_the_rest_in_one_write_at_the_end()
    {
        int[]? writtenAtDispatch = null;
        _executor.On("tools:echo", call =>
        {
            writtenAtDispatch = [.. _audit.Writes];
            return FakeExecutor.Echo(call);
        });

        await Run("echo hi");

        Assert.Equal([2], writtenAtDispatch!);
        Assert.Equal([2, 2], _audit.Writes);
    }

    [Fact]
    public async Task Nothing_is_dispatched_when_the_audit_cannot_record_the_decision()
    {
        _audit.FailWhen = e => e is InvocationDecided;

        var outcome = await Run("echo hi");

        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.Equal(PipelineMessages.AuditUnavailable, outcome.Message);
        Assert.Empty(_executor.Calls);
    }

    [Fact]
    public async Task A_killed_pipeline_cancels_the_running_command_and_says_so()
    {
        var started = new TaskCompletionSource();
        _executor.OnAsync("tools:echo", async (call, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return FakeExecutor.Echo(call);
        });
        using var kill = new CancellationTokenSource();
        var running = Engine().RunAsync(Some.Request("echo hi") with { PipelineId = "p-1" }, kill.Token);

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await kill.CancelAsync();
        var outcome = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.Equal("Pipeline p-1 was killed.", outcome.Message);
        Assert.Equal(PipelineStatus.ExecutionFailed, Assert.Single(_audit.Of<PipelineEnded>()).Status);
    }

    [Fact]
    public async Task A_pipeline_past_its_deadline_is_stopped()
    {
        var started = new TaskCompletionSource();
        _executor.OnAsync("tools:echo", async (call, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return FakeExecutor.Echo(call);
        });
        var running = Engine().RunAsync(Some.Request("echo hi") with { Deadline = TimeSpan.FromSeconds(30) }, TestContext.Current.CancellationToken);

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(31));
        var outcome = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("The pipeline did not finish within its time limit of 30 seconds and was stopped.", outcome.Message);
    }

    /// <summary>A dispatched command that is stopped ends as the executor says (its contract: an error outcome, not an
    /// exception), and that end is recorded before the pipeline's.</summary>
    static Func<CommandCall, CancellationToken, Task<CommandOutcome>> StoppedOnCancel(TaskCompletionSource started) => async (call, token) =>
    {
        started.SetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }
        return CommandOutcome.Error("The `tools:echo` command was stopped before it finished.", "relay-7");
    };

    [Fact]
    public async Task A_dispatched_command_of_a_killed_pipeline_has_its_completion_recorded()
    {
        var started = new TaskCompletionSource();
        _executor.OnAsync("tools:echo", StoppedOnCancel(started));
        using var kill = new CancellationTokenSource();
        var running = Engine().RunAsync(Some.Request("echo hi") with { PipelineId = "p-1" }, kill.Token);

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await kill.CancelAsync();
        var outcome = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Pipeline p-1 was killed.", outcome.Message);
        var completed = Assert.Single(_audit.Of<InvocationCompleted>());
        Assert.Equal((ResultStatus.Error, "The `tools:echo` command was stopped before it finished.", "relay-7", "tools:echo hi"),
            (completed.Status, completed.Message, completed.RelayId, completed.InvocationText));
        Assert.IsType<PipelineEnded>(_audit.Events.Last());
    }

    [Fact]
    public async Task A_dispatched_command_of_a_pipeline_past_its_deadline_has_its_completion_recorded()
    {
        var started = new TaskCompletionSource();
        _executor.OnAsync("tools:echo", StoppedOnCancel(started));
        var running = Engine().RunAsync(Some.Request("echo hi") with { Deadline = TimeSpan.FromSeconds(30) }, TestContext.Current.CancellationToken);

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(31));
        var outcome = await running.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("The pipeline did not finish within its time limit of 30 seconds and was stopped.", outcome.Message);
        var completed = Assert.Single(_audit.Of<InvocationCompleted>());
        Assert.Equal(ResultStatus.Error, completed.Status);
        Assert.IsType<PipelineEnded>(_audit.Events.Last());
    }

    [Fact]
    public async Task A_dispatched_command_whose_executor_throws_on_cancellation_still_has_a_completion_recorded()
    {
        var started = new TaskCompletionSource();
        _executor.OnAsync("tools:echo", async (call, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return FakeExecutor.Echo(call);
        });
        using var kill = new CancellationTokenSource();
        var running = Engine().RunAsync(Some.Request("echo hi"), kill.Token);

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await kill.CancelAsync();
        await running.WaitAsync(TestContext.Current.CancellationToken);

        var completed = Assert.Single(_audit.Of<InvocationCompleted>());
        Assert.Equal((ResultStatus.Error, "The `tools:echo` command was stopped before it finished."), (completed.Status, completed.Message));
    }

    [Fact]
    public async Task An_output_item_that_is_not_an_object_fails_the_invocation()
    {
        _executor.On("tools:echo", _ => CommandOutcome.Ok([new StringValue("bare")]));

        var outcome = await Run("echo hi");

        Assert.Equal("The `tools:echo hi` command returned an item that is not a JSON object.", outcome.Message);
    }

    [Fact]
    public async Task The_commands_timeout_and_the_callers_identity_reach_the_executor()
    {
        _directory.Timeout("tools:echo", TimeSpan.FromSeconds(7));

        await Run("echo hi");

        var call = Assert.Single(_executor.Calls);
        Assert.Equal((TimeSpan.FromSeconds(7), "1.0.0", "alice", "ops"), (call.Timeout, call.Version, call.Caller.Username, call.Room.Name));
    }
}
