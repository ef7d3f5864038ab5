using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cog.Relay.Execution.Containers;

/// <summary>A client of the Docker Engine API (version <see cref="ApiVersion"/>) over its Unix socket: the few calls a
/// relay needs to run one command in a container. Podman's Docker-compatible service (<c>podman system service</c>)
/// answers the same calls.</summary>
/// <remarks>
/// <para>Every call but <see cref="AttachAsync"/> goes through one <see cref="HttpClient"/> whose connections are Unix
/// socket connections. The attach is a hijacked connection (HTTP upgrade to a raw stream): the relay writes the
/// command's stdin on it and then half-closes the socket, which is what tells the engine that stdin ended
/// (<c>StdinOnce</c>). <see cref="HttpClient"/> hands out the upgraded stream but never its socket, so the attach is
/// written as one HTTP/1.1 request on a socket of its own.</para>
/// <para>A refusal of the engine (an HTTP status of 400 or more) is a <see cref="EngineApiException"/> with the
/// engine's own <c>message</c>; a missing socket or a broken connection is an <see cref="HttpRequestException"/> or
/// an <see cref="IOException"/>. Thread-safe.</para>
/// </remarks>
sealed class EngineApiClient : IDisposable
{
    /// <summary>The API version of every call: Docker Engine 20.10 and later, Podman 3 and later.</summary>
    public const string ApiVersion = "v1.41";

    // The host name is never resolved (every connection is the socket); the engine only reads the path.
    static readonly Uri BaseAddress = new("http://engine/" + ApiVersion + "/");

    static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    readonly HttpClient _http;

    /// <param name="socketPath">The engine's Unix socket, e.g. <c>/var/run/docker.sock</c> or
    /// <c>/run/podman/podman.sock</c>.</param>
    public EngineApiClient(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) => new NetworkStream(await ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false), ownsSocket: true),
        };
        // No client-side timeout: waiting for a container is bounded by the invocation's token.
        _http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The engine's socket.</summary>
    public string SocketPath { get; }

    /// <summary>Whether the engine has the image <paramref name="reference"/> (<c>name:tag</c>).</summary>
    public async Task<bool> HasImageAsync(string reference, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("images/" + reference + "/json", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Pulls <paramref name="image"/>:<paramref name="tag"/> from its registry.</summary>
    public async Task PullAsync(string image, string tag, CancellationToken cancellationToken)
    {
        var query = "images/create?fromImage=" + Uri.EscapeDataString(image) + "&tag=" + Uri.EscapeDataString(tag);
        using var response = await _http.PostAsync(query, null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        // The progress is a stream of JSON objects; a failure after the 200 is an object with "error".
        var progress = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        foreach (var line in progress.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryReadMessage(line, "error") is { } error)
            {
                throw new EngineApiException(HttpStatusCode.OK, error);
            }
        }
    }

    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("containers/create", spec, Json, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var created = await response.Content.ReadFromJsonAsync<CreatedContainer>(Json, cancellationToken).ConfigureAwait(false);
        return created?.Id is { Length: > 0 } id ? id : throw new EngineApiException(response.StatusCode, "The engine created a container without an id.");
    }

    /// <summary>Attaches to a created container's stdin, stdout and stderr (before <see cref="StartAsync"/>, so that no
    /// output is missed).</summary>
    public async Task<ContainerAttachment> AttachAsync(string id, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(SocketPath, cancellationToken).ConfigureAwait(false);
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var request = "POST /" + ApiVersion + "/containers/" + Uri.EscapeDataString(id) + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                + "Host: engine\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);
            var (status, body) = await ReadResponseHeadAsync(stream, cancellationToken).ConfigureAwait(false);
            // 101 when the engine upgrades, 200 when it hijacks the connection without saying so (older engines).
            if (status is not (101 or 200))
            {
                throw new EngineApiException((HttpStatusCode)status, TryReadMessage(body, "message") ?? body);
            }
            return new ContainerAttachment(socket, stream);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a created container.</summary>
    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("containers/" + Uri.EscapeDataString(id) + "/start", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for a container to stop; returns its exit code.</summary>
    public async Task<int> WaitAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("containers/" + Uri.EscapeDataString(id) + "/wait", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var waited = await response.Content.ReadFromJsonAsync<WaitedContainer>(Json, cancellationToken).ConfigureAwait(false);
        return checked((int)(waited?.StatusCode ?? throw new EngineApiException(response.StatusCode, "The engine's wait answer has no StatusCode.")));
    }

    /// <summary>Removes a container, killing it first when it still runs. A container already gone is no error.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync("containers/" + Uri.EscapeDataString(id) + "?force=true&v=true", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new EngineApiException(response.StatusCode, TryReadMessage(body, "message") ?? body.Trim());
    }

    /// <summary>The string property <paramref name="name"/> of the JSON object <paramref name="text"/>, or
    /// <see langword="null"/>.</summary>
    static string? TryReadMessage(string text, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads an HTTP/1.1 response's status line and headers, byte by byte (nothing of the raw stream after
    /// them may be consumed), and, for an error, its body as far as Content-Length says.</summary>
    static async Task<(int Status, string Body)> ReadResponseHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        const int MaxHead = 16 * 1024;
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (head.Count >= MaxHead || await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new IOException("The engine closed the attach connection before its answer's headers ended.");
            }
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"The engine answered the attach with '{lines[0]}', not an HTTP status line.");
        }
        if (status is 101 or 200)
        {
            return (status, "");
        }
        var length = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                _ = int.TryParse(line.AsSpan("Content-Length:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out length);
            }
        }
        var body = new byte[Math.Min(length, MaxHead)];
        await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return (status, Encoding.UTF8.GetString(body).Trim());
    }

    sealed record CreatedContainer(string? Id);

    sealed record WaitedContainer(long? StatusCode);
}

/// <summary>The body of <c>POST /containers/create</c>: the fields the relay sets (the Engine API's names).</summary>
sealed record ContainerSpec(
    string Image,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    ContainerHostConfig HostConfig,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Stdin is kept open until the attached client half-closes it, then closed for good.</summary>
    public bool OpenStdin => true;

    /// <summary>See <see cref="OpenStdin"/>.</summary>
    public bool StdinOnce => true;

    /// <summary>Attach all three streams.</summary>
    public bool AttachStdin => true;

    /// <summary>See <see cref="AttachStdin"/>.</summary>
    public bool AttachStdout => true;

    /// <summary>See <see cref="AttachStdin"/>.</summary>
    public bool AttachStderr => true;

    /// <summary>No terminal: stdout and stderr arrive multiplexed in frames (<see cref="ContainerAttachment"/>).</summary>
    public bool Tty => false;
}

/// <summary>The container's limits and network (the Engine API's <c>HostConfig</c>).</summary>
/// <param name="NetworkMode"><c>none</c> for a loopback interface only, <c>bridge</c> for the engine's network.</param>
/// <param name="Memory">The memory limit, in bytes (swap included: <see cref="MemorySwap"/> is the same).</param>
/// <param name="NanoCpus">The CPU limit, in billionths of a CPU.</param>
/// <param name="Ulimits">The <c>nofile</c> and <c>nproc</c> limits.</param>
/// <param name="Binds">Host folders mounted into the container.</param>
sealed record ContainerHostConfig(string NetworkMode, long Memory, long NanoCpus, IReadOnlyList<ContainerUlimit> Ulimits, IReadOnlyList<string>? Binds)
{
    /// <summary>Memory and swap together are limited to <see cref="Memory"/>: no swap on top.</summary>
    public long MemorySwap => Memory;

    /// <summary>Keeps the command from gaining privileges (setuid binaries in the image).</summary>
    public IReadOnlyList<string> SecurityOpt => ["no-new-privileges"];

    /// <summary>Every capability is dropped: a Cog command needs none.</summary>
    public IReadOnlyList<string> CapDrop => ["ALL"];
}

/// <summary>One resource limit of a container's processes.</summary>
sealed record ContainerUlimit(string Name, long Soft, long Hard);

/// <summary>A refusal of the container engine: its HTTP status and its message.</summary>
sealed class EngineApiException(HttpStatusCode status, string message) : Exception(message)
{
    /// <summary>The engine's HTTP status (200 for an error reported inside a pull's progress).</summary>
    public HttpStatusCode Status { get; } = status;
}

/// <summary>An attached container's streams: <see cref="WriteStdinAsync"/> once, then <see cref="ReadFrameAsync"/>
/// until it returns <see langword="null"/>.</summary>
sealed class ContainerAttachment(Socket socket, NetworkStream stream) : IAsyncDisposable
{
    readonly byte[] _header = new byte[8];
    uint _remaining;
    int _stream;

    /// <summary>Writes the whole stdin and half-closes the connection: the command reads end of file after it.</summary>
    public async Task WriteStdinAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(input, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>The next frame of output: which stream (1 stdout, 2 stderr) and how many bytes were read into
    /// <paramref name="buffer"/> (a frame larger than the buffer arrives as several); <see langword="null"/> at the end.</summary>
    public async Task<(int Stream, int Length)?> ReadFrameAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0)
        {
            if (await stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < _header.Length)
            {
                return null;
            }
            // Frame header: stream type, three zero bytes, the payload's length (big-endian).
            (_stream, _remaining) = (_header[0], BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)));
        }
        var wanted = (int)Math.Min(_remaining, (uint)buffer.Length);
        var read = await stream.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }
        _remaining -= (uint)read;
        return (_stream, read);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
