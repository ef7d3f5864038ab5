using System.Text.RegularExpressions;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>pipeline-list [--user/-u name|all] [--last/-l N] [--expr/-e regex] [--invert/-v] [--elapsed-time/-t ms]
/// [--room/-r room] [--state/-s R|W|F|running|waiting|finished]</c>: the caller's pipelines (or another user's, or
/// everybody's with <c>operable:manage_user_pipeline</c>), newest first, as one item
/// <c>{"pipeline_count", "pipelines": [...]}</c>.
/// </summary>
/// <remarks>Without <c>--state</c> the pipelines not finished are listed (as Cog 1.0, which could never list finished
/// ones); with it, the pipelines in that state. <c>--last</c> (default 20) is taken before the other filters, as in Cog
/// 1.0. The pipeline running <c>pipeline-list</c> itself is left out.</remarks>
sealed class PipelineListCommand(BuiltInAdministration administration, IPipelineDirectory directory, TimeProvider time) : IBuiltInCommand
{
    public const int DefaultLast = 20;

    static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public string Name => "pipeline-list";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var last = call.Input.Options.TryGetValue("last", out var lastValue) && lastValue is IntValue { Number: var n } ? n : DefaultLast;
        if (last < 1)
            return CommandOutcome.Error(BuiltInMessages.PipelineBadLast);
        Regex? expression = null;
        if (Output.Text(call, "expr") is { } expr)
        {
            try
            {
                expression = new Regex(expr, RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException)
            {
                return CommandOutcome.Error(BuiltInMessages.PipelineBadRegex);
            }
        }
        PipelineState? state = Output.Text(call, "state") switch
        {
            null => null,
            "R" or "running" => PipelineState.Running,
            "W" or "waiting" => PipelineState.Waiting,
            "F" or "finished" => PipelineState.Finished,
            _ => (PipelineState)(-1),
        };
        if (state == (PipelineState)(-1))
            return CommandOutcome.Error(BuiltInMessages.PipelineBadState);

        string? userId = call.Caller.UserId;
        switch (Output.Text(call, "user"))
        {
            case "all":
                if (!await PipelineEntries.MayManageOthersAsync(directory, call, cancellationToken).ConfigureAwait(false))
                    return CommandOutcome.Error(BuiltInMessages.PipelinesOfAllUsersNeedPermission);
                userId = null;
                break;
            case { } username:
                var user = await administration.Store.Users.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false);
                if (user is null)
                    return CommandOutcome.Error(BuiltInMessages.PipelineUserNotFound(username));
                if (user.Id != call.Caller.UserId && !await PipelineEntries.MayManageOthersAsync(directory, call, cancellationToken).ConfigureAwait(false))
                    return CommandOutcome.Error(BuiltInMessages.PipelinesOfOtherUsersNeedPermission);
                userId = user.Id;
                break;
        }

        var query = new HistoryQuery((int)Math.Min(last + 1, int.MaxValue)) { UserId = userId, State = state, Unfinished = state is null };
        var entries = await administration.Store.History.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var invert = Output.Flag(call, "invert");
        var minimum = call.Input.Options.TryGetValue("elapsed-time", out var elapsed) && elapsed is IntValue { Number: var ms } ? ms : (long?)null;
        var room = Output.Text(call, "room");
        var now = time.GetUtcNow();
        var usernames = new PipelineEntries.Usernames(administration.Store);
        var pipelines = new List<Value>();
        foreach (var entry in entries.Where(e => e.Id != call.PipelineId).Take((int)Math.Min(last, int.MaxValue)))
        {
            if (expression is not null && Matches(expression, entry.Text) == invert)
                continue;
            if (minimum is { } min && PipelineEntries.ElapsedMilliseconds(entry, now) < min)
                continue;
            if (room is not null && entry.Room != room)
                continue;
            pipelines.Add(PipelineEntries.Json(entry, await usernames.OfAsync(entry.UserId, cancellationToken).ConfigureAwait(false), now));
        }
        return Output.Ok(Output.Object(("pipeline_count", new IntValue(pipelines.Count)), ("pipelines", new ListValue([.. pipelines]))), Name);
    }

    static bool Matches(Regex expression, string text)
    {
        try
        {
            return expression.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
