using System.Globalization;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.BuiltIns;

/// <summary>What <c>pipeline-list</c>, <c>pipeline-info</c> and <c>pipeline-kill</c> share: the permission that opens
/// other users' pipelines, finding a pipeline by (a prefix of) its id, and the JSON shape of a pipeline.</summary>
static class PipelineEntries
{
    /// <summary>Needed to see or kill other users' pipelines (checked in code, as in Cog 1.0).</summary>
    public const string ManageUserPipeline = "operable:manage_user_pipeline";

    public static async ValueTask<bool> MayManageOthersAsync(IPipelineDirectory directory, CommandCall call, CancellationToken cancellationToken) =>
        (await directory.GetPermissionsAsync(call.Caller.UserId, cancellationToken).ConfigureAwait(false)).Contains(ManageUserPipeline);

    /// <summary>The one pipeline whose id starts with <paramref name="prefix"/>, or <see langword="null"/> when none or
    /// several do.</summary>
    public static async Task<PipelineHistoryEntry?> FindAsync(IStore store, string prefix, bool unfinishedOnly, CancellationToken cancellationToken)
    {
        if (prefix.Length == 0)
            return null;
        var found = await store.History.QueryAsync(new HistoryQuery(2) { IdPrefix = prefix, Unfinished = unfinishedOnly }, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>A pipeline as Cog 1.0 shows it: <c>{"id", "user", "room", "text", "processed", "state", "started",
    /// "time"}</c>, with the full id, the state's name, the start time in ISO-8601 (whole seconds, UTC) and the run time
    /// so far in milliseconds; plus the provider and the server that runs (or ran) it, <c>"server"</c>.</summary>
    public static ObjectValue Json(PipelineHistoryEntry entry, string username, DateTimeOffset now) => Output.Object(
        ("id", new StringValue(entry.Id)),
        ("user", new StringValue(username)),
        ("room", entry.Room is null ? NullValue.Instance : new StringValue(entry.Room)),
        ("provider", entry.Provider is null ? NullValue.Instance : new StringValue(entry.Provider)),
        ("server", entry.Instance is null ? NullValue.Instance : new StringValue(entry.Instance)),
        ("text", new StringValue(entry.Text)),
        ("processed", new IntValue(entry.Count)),
        ("state", new StringValue(State(entry.State))),
        ("started", new StringValue(entry.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
        ("time", new IntValue(ElapsedMilliseconds(entry, now))));

    public static long ElapsedMilliseconds(PipelineHistoryEntry entry, DateTimeOffset now) =>
        (long)((entry.FinishedAt ?? now) - entry.StartedAt).TotalMilliseconds;

    public static string State(PipelineState state) => state switch
    {
        PipelineState.Running => "running",
        PipelineState.Waiting => "waiting",
        PipelineState.Interrupted => "interrupted",
        _ => "finished",
    };

    /// <summary>Looks usernames up once per user id.</summary>
    public sealed class Usernames(IStore store)
    {
        readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

        public async ValueTask<string> OfAsync(string userId, CancellationToken cancellationToken)
        {
            if (_known.TryGetValue(userId, out var name))
                return name;
            var user = await store.Users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            return _known[userId] = user?.Username ?? userId;
        }
    }
}
