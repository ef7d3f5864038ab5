using System.Text.Json;
using Cog.Sdk;
using Cog.Worker.Protocol;

namespace Cog.Worker;

/// <summary>The pipeline store of one invocation, as a worker reaches it: every operation is a request to the relay,
/// which keeps the pipeline stores.</summary>
sealed class ChannelPipelineStore(WorkerHost host, long id) : IPipelineStore
{
    public async ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await host.StoreAsync(id, StoreRequestMessage.Get, key, null, cancellationToken).ConfigureAwait(false);

    public async ValueTask SetAsync(string key, JsonElement value, CancellationToken cancellationToken = default) =>
        await host.StoreAsync(id, StoreRequestMessage.Set, key, value, cancellationToken).ConfigureAwait(false);

    public async ValueTask<JsonElement> AppendAsync(string key, JsonElement value, CancellationToken cancellationToken = default) =>
        await host.StoreAsync(id, StoreRequestMessage.Append, key, value, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The relay answered an append without the list.");

    public async ValueTask<JsonElement?> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await host.StoreAsync(id, StoreRequestMessage.Remove, key, null, cancellationToken).ConfigureAwait(false);
}

/// <summary>The log of one invocation, as a worker writes it: each line is sent to the relay's command log.</summary>
sealed class ChannelCommandLog(WorkerHost host, long id) : ICommandLog
{
    public const string DebugLevel = "debug";
    public const string InfoLevel = "info";
    public const string WarnLevel = "warn";
    public const string ErrorLevel = "error";

    public void Debug(string message) => host.Send(new LogMessage(id, DebugLevel, message ?? ""));

    public void Info(string message) => host.Send(new LogMessage(id, InfoLevel, message ?? ""));

    public void Warn(string message) => host.Send(new LogMessage(id, WarnLevel, message ?? ""));

    public void Error(string message) => host.Send(new LogMessage(id, ErrorLevel, message ?? ""));
}
