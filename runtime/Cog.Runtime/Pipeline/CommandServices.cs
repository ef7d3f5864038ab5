using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Runtime.Pipeline;

/// <summary>The pipeline services executables reach at <c>COG_SERVICES_ROOT</c> (Cog 1.0's memory service): the tokens
/// that admit them and the memory they keep.</summary>
/// <remarks>
/// <para>Tokens: each relay invocation gets a token of its own (<see cref="Issue"/>), valid until the invocation ends
/// or its deadline passes, whichever is first; only its SHA-256 is kept. Cog 1.0 gave one token to a whole pipeline;
/// a token per invocation leaks less (a command that keeps its token past its end holds nothing).</para>
/// <para>Memory is scoped as in Cog 1.0: to the pipeline (every invocation of one pipeline sees the same keys) and
/// dropped when the pipeline ends (<see cref="RunningPipelines.Ended"/>). It is kept in this server's memory: a
/// pipeline runs in one server process from its start to its end, and nothing of it outlives the pipeline, so there
/// is nothing to store. A pipeline keeps at most <see cref="MaxBytesPerPipeline"/> of values.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class CommandServices
{
    /// <summary>The most bytes (values as compact JSON) one pipeline may keep.</summary>
    public const int MaxBytesPerPipeline = 4 * 1024 * 1024;

    readonly Uri _root;
    readonly TimeProvider _time;
    readonly ConcurrentDictionary<string, Grant> _tokens = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, PipelineMemory> _memory = new(StringComparer.Ordinal);

    /// <param name="root">The server's base URL as relays' commands reach it (<c>COG_SERVICES_ROOT</c>).</param>
    /// <param name="pipelines">The running pipelines: a pipeline's memory is dropped when it ends.</param>
    /// <param name="time">The clock of token deadlines.</param>
    public CommandServices(Uri root, RunningPipelines pipelines, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(pipelines);
        (_root, _time) = (root, time ?? throw new ArgumentNullException(nameof(time)));
        pipelines.Ended += id => _memory.TryRemove(id, out _);
    }

    /// <summary>A token for one invocation of <paramref name="pipelineId"/>, valid until <paramref name="deadline"/> or
    /// until the grant is disposed (the invocation ended).</summary>
    public ServiceGrant Issue(string pipelineId, DateTimeOffset deadline)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipelineId);
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(token);
        _tokens[hash] = new Grant(pipelineId, deadline);
        return new ServiceGrant(new Contracts.Relays.PipelineServices(_root, token), () => _tokens.TryRemove(hash, out _));
    }

    /// <summary>The pipeline a presented token belongs to, or <see langword="null"/> when it is unknown, revoked or
    /// past its deadline.</summary>
    public string? Authenticate(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!_tokens.TryGetValue(Hash(token), out var grant))
            return null;
        return _time.GetUtcNow() < grant.Deadline ? grant.PipelineId : null;
    }

    /// <summary>The memory of <paramref name="pipelineId"/>.</summary>
    public PipelineMemory MemoryOf(string pipelineId) => _memory.GetOrAdd(pipelineId, static _ => new PipelineMemory());

    static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    sealed record Grant(string PipelineId, DateTimeOffset Deadline);
}

/// <summary>One invocation's hold on the services: the endpoint to send the relay, revoked when disposed.</summary>
public sealed class ServiceGrant(Contracts.Relays.PipelineServices endpoint, Action revoke) : IDisposable
{
    int _revoked;

    /// <summary>The root and token the invocation request carries.</summary>
    public Contracts.Relays.PipelineServices Endpoint { get; } = endpoint;

    /// <summary>Revokes the token (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _revoked, 1) == 0)
            revoke();
    }
}

/// <summary>One pipeline's keys and values (Cog 1.0's memory service operations: fetch, replace, accum, join, delete).
/// Thread-safe; values are copied in and out.</summary>
public sealed class PipelineMemory
{
    readonly Lock _gate = new();
    readonly Dictionary<string, (JsonNode? Value, int Bytes)> _values = new(StringComparer.Ordinal);
    int _bytes;

    /// <summary>The value of <paramref name="key"/>; <see langword="false"/> when there is none.</summary>
    public bool TryGet(string key, out JsonNode? value)
    {
        lock (_gate)
        {
            var found = _values.TryGetValue(key, out var entry);
            value = found ? entry.Value?.DeepClone() : null;
            return found;
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; returns the value kept.</summary>
    public MemoryResult Replace(string key, JsonNode? value)
    {
        lock (_gate)
            return StoreLocked(key, value?.DeepClone());
    }

    /// <summary>Appends <paramref name="value"/> as one element: to the list kept under <paramref name="key"/>, to a
    /// one-element list of a value that is not a list, or to an empty list when there is none.</summary>
    public MemoryResult Accumulate(string key, JsonNode? value)
    {
        lock (_gate)
        {
            var list = _values.TryGetValue(key, out var entry)
                ? entry.Value is JsonArray existing ? (JsonArray)existing.DeepClone() : new JsonArray(entry.Value?.DeepClone())
                : [];
            list.Add(value?.DeepClone());
            return StoreLocked(key, list);
        }
    }

    /// <summary>Appends the elements of <paramref name="value"/> (a list) to the list kept under
    /// <paramref name="key"/> (or to an empty list); <see cref="MemoryStatus.NotAList"/> when either is not a list.</summary>
    public MemoryResult Join(string key, JsonNode? value)
    {
        lock (_gate)
        {
            if (value is not JsonArray added)
                return new MemoryResult(MemoryStatus.NotAList, null);
            JsonArray list = [];
            if (_values.TryGetValue(key, out var entry))
            {
                if (entry.Value is not JsonArray existing)
                    return new MemoryResult(MemoryStatus.NotAList, null);
                list = (JsonArray)existing.DeepClone();
            }
            foreach (var element in added)
                list.Add(element?.DeepClone());
            return StoreLocked(key, list);
        }
    }

    /// <summary>Removes <paramref name="key"/>; returns the value it had, or <see cref="MemoryStatus.UnknownKey"/>.</summary>
    public MemoryResult Delete(string key)
    {
        lock (_gate)
        {
            if (!_values.Remove(key, out var entry))
                return new MemoryResult(MemoryStatus.UnknownKey, null);
            _bytes -= entry.Bytes;
            return new MemoryResult(MemoryStatus.Ok, entry.Value);
        }
    }

    MemoryResult StoreLocked(string key, JsonNode? value)
    {
        var bytes = checked(Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value?.ToJsonString() ?? "null"));
        var previous = _values.TryGetValue(key, out var entry) ? entry.Bytes : 0;
        if (_bytes - previous + bytes > CommandServices.MaxBytesPerPipeline)
            return new MemoryResult(MemoryStatus.Full, null);
        _values[key] = (value, bytes);
        _bytes += bytes - previous;
        return new MemoryResult(MemoryStatus.Ok, value?.DeepClone());
    }
}

/// <summary>How a memory operation ended, and the value it answers with.</summary>
public sealed record MemoryResult(MemoryStatus Status, JsonNode? Value);

/// <summary>How a memory operation ended.</summary>
public enum MemoryStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>No value under the key.</summary>
    UnknownKey,

    /// <summary>A join with a value or a kept value that is not a list.</summary>
    NotAList,

    /// <summary>The pipeline would keep more than <see cref="CommandServices.MaxBytesPerPipeline"/>.</summary>
    Full,
}
