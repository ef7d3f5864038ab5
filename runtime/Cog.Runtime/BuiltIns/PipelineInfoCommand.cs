using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>pipeline-info &lt;id…&gt;</c>: the pipelines with these ids (or unique id prefixes), one item each (the
/// shape of <c>pipeline-list</c>'s entries). As in Cog 1.0, ids that match nothing, or other users' pipelines without
/// <c>operable:manage_user_pipeline</c>, are left out.</summary>
sealed class PipelineInfoCommand(BuiltInAdministration administration, IPipelineDirectory directory, TimeProvider time) : IBuiltInCommand
{
    public string Name => "pipeline-info";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        if (call.Input.Arguments.IsEmpty)
            return CommandOutcome.Error(BuiltInMessages.UnderMinArgs(1));
        var mayManage = await PipelineEntries.MayManageOthersAsync(directory, call, cancellationToken).ConfigureAwait(false);
        var usernames = new PipelineEntries.Usernames(administration.Store);
        var now = time.GetUtcNow();
        var items = new List<Value>();
        foreach (var argument in call.Input.Arguments)
        {
            var entry = await PipelineEntries.FindAsync(administration.Store, argument.ToDisplayString(), unfinishedOnly: false, cancellationToken).ConfigureAwait(false);
            if (entry is null || !(mayManage || entry.UserId == call.Caller.UserId))
                continue;
            items.Add(PipelineEntries.Json(entry, await usernames.OfAsync(entry.UserId, cancellationToken).ConfigureAwait(false), now));
        }
        return CommandOutcome.Ok([.. items], Name);
    }
}
