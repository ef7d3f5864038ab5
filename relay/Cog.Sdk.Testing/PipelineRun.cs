using System.Text;
using System.Text.Json;
using Cog.Runtime.Pipeline;

namespace Cog.Sdk.Testing;

/// <summary>How one pipeline of a <see cref="BundleTestHost"/> ended: its status, output items, rendered reply and every
/// access decision taken on the way.</summary>
public sealed class PipelineRun
{
    internal PipelineRun(string text, TestUser user, PipelineOutcome outcome, IReadOnlyList<JsonElement> items, RenderedReply reply,
        IReadOnlyList<AccessDecision> decisions)
    {
        Text = text;
        User = user;
        Status = outcome.Status;
        Items = items;
        Template = outcome.Template;
        Message = outcome.Message;
        FailedInvocation = outcome.FailedInvocation;
        Reply = reply;
        Decisions = decisions;
    }

    /// <summary>The pipeline text that ran.</summary>
    public string Text { get; }

    /// <summary>Who ran it.</summary>
    public TestUser User { get; }

    /// <summary>How it ended: succeeded, no output (a stage produced no items), aborted by a command, refused or
    /// unparseable before anything ran (planning failed), or failed while running.</summary>
    public PipelineStatus Status { get; }

    /// <summary>Whether every stage ran and the last one produced output.</summary>
    public bool Succeeded => Status == PipelineStatus.Succeeded;

    /// <summary>The last stage's output items, each a JSON object (empty unless <see cref="Succeeded"/>).</summary>
    public IReadOnlyList<JsonElement> Items { get; }

    /// <summary>The template the command named in its response, if any; without one, the reply uses the template named
    /// after the command when the bundle has it, else Cog's fallbacks.</summary>
    public string? Template { get; }

    /// <summary>The error or abort message, as the user reads it; <see langword="null"/> when it succeeded.</summary>
    public string? Message { get; }

    /// <summary>The bound invocation that failed or was refused, when one did.</summary>
    public string? FailedInvocation { get; }

    /// <summary>The reply, rendered for cogctl (plain text), the web console (HTML) and Slack.</summary>
    public RenderedReply Reply { get; }

    /// <summary>Every access decision, in the order taken.</summary>
    public IReadOnlyList<AccessDecision> Decisions { get; }

    /// <summary>The decision that stopped the pipeline when the rules refused it, else the last one taken;
    /// <see langword="null"/> when none was (the text did not parse).</summary>
    public AccessDecision? Decision => Decisions.FirstOrDefault(d => !d.IsAllowed) ?? Decisions.LastOrDefault();

    /// <summary>Returns this run when it succeeded.</summary>
    /// <exception cref="PipelineRunException">It did not; the message says how it ended and why.</exception>
    public PipelineRun EnsureSucceeded() =>
        Succeeded ? this : throw new PipelineRunException(Describe("to succeed"), this);

    /// <summary>Returns the decision that refused the pipeline when the access rules refused it.</summary>
    /// <exception cref="PipelineRunException">Nothing was refused; the message says how it ended.</exception>
    public AccessDecision EnsureRefused() =>
        Decisions.FirstOrDefault(d => !d.IsAllowed) ?? throw new PipelineRunException(Describe("to be refused by the access rules"), this);

    /// <summary>The single output item, as JSON.</summary>
    /// <exception cref="PipelineRunException">The run did not succeed, or did not produce exactly one item.</exception>
    public JsonElement SingleItem()
    {
        EnsureSucceeded();
        return Items.Count == 1 ? Items[0] : throw new PipelineRunException(Describe("to produce exactly one item"), this);
    }

    /// <inheritdoc/>
    public override string ToString() => Describe(null);

    string Describe(string? expected)
    {
        var text = new StringBuilder();
        text.Append('`').Append(Text).Append("` as ").Append(User);
        if (expected is not null)
            text.Append(": expected it ").Append(expected).Append(", but it");
        text.Append(Status switch
        {
            PipelineStatus.Succeeded => $" succeeded with {Items.Count} item(s)",
            PipelineStatus.NoOutput => " produced no output",
            PipelineStatus.Aborted => " was aborted",
            PipelineStatus.PlanningFailed => " did not start",
            _ => " failed",
        });
        if (Message is not null)
            text.Append(": ").Append(Message);
        if (FailedInvocation is not null)
            text.Append(Environment.NewLine).Append("  at ").Append(FailedInvocation);
        foreach (var decision in Decisions)
            text.Append(Environment.NewLine).Append("  rule decision: ").Append(decision);
        if (Status == PipelineStatus.Succeeded)
        {
            foreach (var item in Items)
                text.Append(Environment.NewLine).Append("  item: ").Append(item.GetRawText());
        }
        return text.ToString();
    }

    internal static AccessDecision ToDecision(InvocationDecided decided) =>
        new(decided.Stage, decided.InvocationText, decided.Outcome, decided.DecidingRule, decided.Missing, decided.Preview, decided.Reason);
}
