using Cog.Runtime.Audit;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

public class PipelineEngineExplainTests
{
    const string Denial =
        "Sorry, you aren't allowed to execute 'tools:secret x'.\nYou will need at least one of the following permissions to run this command: 'tools:admin'.";

    readonly FakeDirectory _directory = new FakeDirectory()
        .Bundle("tools", "1.0.0",
            Some.Command("echo", "when command is tools:echo allow"),
            Some.Command("secret", "when command is tools:secret must have tools:admin"),
            Some.Command("picky", "when command is tools:picky with arg[0] == 'yes' allow"));

    readonly FakeExecutor _executor = new FakeExecutor().On("tools:echo", FakeExecutor.Echo).On("tools:secret", FakeExecutor.Echo);
    readonly CollectingAudit _audit = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    PipelineEngine Engine() => new(_directory, _executor, _audit, _time, PipelineEngineOptions.Default);

    Task<PipelineExplanation> Explain(string text) => Engine().ExplainAsync(Some.Request(text), TestContext.Current.CancellationToken);

    Task<PipelineOutcome> Run(string text) => Engine().RunAsync(Some.Request(text), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_stage_whose_rules_cannot_be_evaluated_is_explained_as_refused_with_the_reason()
    {
        _directory.UnloadableRule("tools:secret", "stored rule r-9 does not parse: Unexpected end of input.");

        var explanation = await Explain("echo a | secret x");

        Assert.Equal(ExplanationDecision.EvaluationFailed, explanation.Decision);
        Assert.Equal(StageDecision.EvaluationFailed, explanation.Stages[1].Decision);
        Assert.Contains("(stored rule r-9 does not parse: Unexpected end of input.), so the command is denied.", explanation.Message, StringComparison.Ordinal);
        Assert.Equal(explanation.Message, explanation.Stages[1].Message);
    }

    [Fact]
    public async Task An_allowed_pipeline_names_each_stages_rule_and_runs_nothing()
    {
        var explanation = await Explain("echo a | echo b");

        Assert.Equal((ExplanationDecision.Allowed, null), (explanation.Decision, explanation.Message));
        Assert.Equal(
            [(1, "tools:echo", "tools:echo a", StageDecision.Allowed, "when command is tools:echo allow"),
             (2, "tools:echo", "tools:echo b", StageDecision.Allowed, "when command is tools:echo allow")],
            explanation.Stages.Select(s => (s.Stage, s.Command, s.Invocation, s.Decision, s.Rule)));
        Assert.Empty(_executor.Calls);
        Assert.Equal(PipelineStatus.Succeeded, (await Run("echo a | echo b")).Status);
    }

    [Fact]
    public async Task A_denied_stage_gives_the_runs_exact_message_naming_the_missing_permission_and_later_stages_are_not_reached()
    {
        var explanation = await Explain("echo a | secret x | echo b");
        var run = await Run("echo a | secret x | echo b");

        Assert.Equal((ExplanationDecision.Denied, Denial), (explanation.Decision, explanation.Message));
        Assert.Equal(run.Message, explanation.Message);
        Assert.Equal([StageDecision.Allowed, StageDecision.Denied, StageDecision.NotReached], explanation.Stages.Select(s => s.Decision));
        var denied = explanation.Stages[1];
        Assert.Equal(("when command is tools:secret must have tools:admin", Denial), (denied.Rule, denied.Message));
        Assert.Equal(["tools:admin"], denied.Missing);
    }

    [Fact]
    public async Task With_the_permission_the_same_stage_is_allowed()
    {
        _directory.Grant(Some.Alice.UserId, "tools:admin");

        var explanation = await Explain("secret x");

        Assert.Equal(ExplanationDecision.Allowed, explanation.Decision);
        Assert.Equal(StageDecision.Allowed, Assert.Single(explanation.Stages).Decision);
        Assert.Equal(PipelineStatus.Succeeded, (await Run("secret x")).Status);
    }

    [Fact]
    public async Task No_matching_rule_is_explained_with_the_runs_message()
    {
        var explanation = await Explain("picky no");
        var run = await Run("picky no");

        Assert.Equal(ExplanationDecision.NoRule, explanation.Decision);
        Assert.Equal(
            "No rules match the supplied invocation of 'tools:picky no'. Check your args and options, then confirm that the proper rules are in place.",
            explanation.Message);
        Assert.Equal(run.Message, explanation.Message);
        var stage = Assert.Single(explanation.Stages);
        Assert.Equal((StageDecision.NoRule, null), (stage.Decision, stage.Rule));
    }

    [Fact]
    public async Task A_stage_with_variables_is_deferred_and_shown_unbound()
    {
        var explanation = await Explain("echo a | secret $body[0] | echo b");

        Assert.Equal(ExplanationDecision.Allowed, explanation.Decision);
        Assert.Equal([StageDecision.Allowed, StageDecision.Deferred, StageDecision.Allowed], explanation.Stages.Select(s => s.Decision));
        Assert.Equal("tools:secret $body[0]", explanation.Stages[1].Invocation);
        Assert.Null(explanation.Stages[1].Rule);
    }

    [Fact]
    public async Task A_text_that_does_not_resolve_is_an_error_with_the_runs_message_and_no_stages()
    {
        var explanation = await Explain("nosuch x");
        var run = await Run("nosuch x");

        Assert.Equal(ExplanationDecision.Error, explanation.Decision);
        Assert.Equal("Command 'nosuch' not found in any installed bundle.", explanation.Message);
        Assert.Equal((run.Message, run.Position), (explanation.Message, explanation.Position));
        Assert.Empty(explanation.Stages);
    }

    [Fact]
    public async Task An_option_error_before_anything_runs_is_an_error_and_its_stage_is_not_reached()
    {
        var explanation = await Explain("echo a | echo --bogus");
        var run = await Run("echo a | echo --bogus");

        Assert.Equal(ExplanationDecision.Error, explanation.Decision);
        Assert.Equal(run.Message, explanation.Message);
        Assert.Equal([StageDecision.Allowed, StageDecision.NotReached], explanation.Stages.Select(s => s.Decision));
    }

    [Fact]
    public async Task An_explanation_asked_for_someone_else_is_recorded_as_the_askers_action()
    {
        await Engine().ExplainAsync(Some.Request("echo a") with { RequestedBy = "root" }, TestContext.Current.CancellationToken);

        var entry = PipelineAuditLog.ToEntry(Assert.Single(_audit.Of<PipelineExplained>()));
        Assert.Equal("root", entry.Actor);
        Assert.Contains("\"requested_by\":\"root\"", entry.PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"username\":\"alice\"", entry.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_explanation_is_recorded_with_every_stages_decision()
    {
        var explanation = await Explain("echo a | secret x");

        var recorded = Assert.Single(_audit.Of<PipelineExplained>());
        Assert.Equal((Some.Alice, "echo a | secret x", ExplanationDecision.Denied, Denial), (recorded.Caller, recorded.Text, recorded.Decision, recorded.Message));
        Assert.Equal(explanation.Stages, recorded.Stages);
        Assert.Empty(_audit.Of<PipelineStarted>());

        var entry = PipelineAuditLog.ToEntry(recorded);
        Assert.Equal(("pipeline.explained", "alice", "echo a | secret x", "denied"), (entry.Kind, entry.Actor, entry.Command, entry.Outcome));
        Assert.Contains(
            "\"stages\":[{\"stage\":1,\"invocation\":\"tools:echo a\",\"decision\":\"allowed\",\"rule\":\"when command is tools:echo allow\"},"
            + "{\"stage\":2,\"invocation\":\"tools:secret x\",\"decision\":\"denied\",\"rule\":\"when command is tools:secret must have tools:admin\",\"missing\":[\"tools:admin\"]}]",
            entry.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explanation_the_audit_log_cannot_record_is_not_answered()
    {
        _audit.FailWhen = _ => true;

        var error = await Assert.ThrowsAsync<IOException>(() => Explain("echo a"));
        Assert.Equal("disk full", error.Message);
    }
}
