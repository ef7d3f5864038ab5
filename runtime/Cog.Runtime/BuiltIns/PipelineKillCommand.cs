using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>pipeline-kill &lt;id…&gt;</c>: stops the running pipelines with these ids (or unique id prefixes), which
/// cancels the command each is running. Answers <c>{"killed": [ids], "killed_text": "id,id" | "none"}</c>. As in Cog
/// 1.0, ids of finished or unknown pipelines, and other users' pipelines without
/// <c>operable:manage_user_pipeline</c>, are left out.</summary>
/// <remarks>A pipeline is killed in whichever server runs it. When that server does not answer, the command fails
/// naming it (after killing the others).</remarks>
sealed class PipelineKillCommand(BuiltInAdministration administration, IPipelineDirectory directory) : IBuiltInCommand
{
    public string Name => "pipeline-kill";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        if (call.Input.Arguments.IsEmpty)
            return CommandOutcome.Error(BuiltInMessages.UnderMinArgs(1));
        var mayManage = await PipelineEntries.MayManageOthersAsync(directory, call, cancellationToken).ConfigureAwait(false);
        var killed = new List<string>();
        var silent = new List<PipelineHistoryEntry>();
        foreach (var argument in call.Input.Arguments)
        {
            var entry = await PipelineEntries.FindAsync(administration.Store, argument.ToDisplayString(), unfinishedOnly: true, cancellationToken).ConfigureAwait(false);
            if (entry is null || !(mayManage || entry.UserId == call.Caller.UserId) || killed.Contains(entry.Id))
                continue;
            switch (await administration.Pipelines.KillAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                case PipelineKill.Killed:
                    killed.Add(entry.Id);
                    break;
                case PipelineKill.OwnerSilent:
                    silent.Add(entry);
                    break;
            }
        }
        if (silent.Count > 0)
            return CommandOutcome.Error(BuiltInMessages.PipelinesNotReached(killed, silent));
        var text = killed.Count == 0 ? BuiltInMessages.PipelinesKilledNone : string.Join(',', killed);
        return Output.Ok(Output.Object(
            ("killed", new ListValue([.. killed.Select(static id => (Value)new StringValue(id))])),
            ("killed_text", new StringValue(text))), Name);
    }
}
