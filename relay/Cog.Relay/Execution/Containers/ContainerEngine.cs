using System.Collections.Immutable;
using System.Net.Sockets;
using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Isolation;
using Cog.Worker;

namespace Cog.Relay.Execution.Containers;

/// <summary>Runs the commands of Cog 1.0 Docker bundles (<c>docker: {image, tag}</c>): each invocation in a container of
/// the bundle's image, created for it and removed after it. The container is the command's worker: it gets the
/// executable contract of <see cref="ExecutableEngine"/> (the environment of <see cref="ExecutableEnvironment"/>, the
/// input item as JSON on stdin, stdout read by <see cref="OutputParser"/>, stderr and the exit code read by
/// <see cref="ExecutableEngine.Conclude"/>) and the confinement of the sandbox's settings.</summary>
/// <remarks>
/// <para>Each container: the image's own working directory and <c>PATH</c>, the executable (an absolute path inside
/// the image) as its command; no network but loopback unless the bundle is one of
/// <see cref="SandboxOptions.NetworkBundles"/>; memory (swap included) <see cref="SandboxOptions.MemoryBytes"/>, CPU
/// <see cref="SandboxOptions.ContainerCpus"/>, <c>nproc</c> <see cref="SandboxOptions.Processes"/> and <c>nofile</c>
/// <see cref="SandboxOptions.OpenFiles"/>; every capability dropped, no new privileges; labelled
/// <see cref="RelayLabel"/>. It is removed (killed first if needed) when the command ends, fails, runs out of time or
/// is cancelled.</para>
/// <para>Outcomes as for executables; the engine's own failures (socket gone, image missing, create refused) are
/// errors naming the engine's reason (<see cref="ContainerErrors"/>). Thread-safe.</para>
/// </remarks>
sealed class ContainerEngine : ICommandEngine, IDisposable
{
    /// <summary>The label on every container the relay creates (Cog 1.0's relay labelled its containers the same way).</summary>
    public const string RelayLabel = "io.operable.cog.relay.created";

    const int ChunkSize = 16 * 1024;

    static readonly ImmutableDictionary<string, string> NoRelayVariables = ImmutableDictionary<string, string>.Empty;

    readonly EngineApiClient _client;
    readonly ContainerOptions _options;

    /// <param name="options">The engine's socket and the limits.</param>
    public ContainerEngine(ContainerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _client = new EngineApiClient(options.Socket);
    }

    /// <summary>Makes sure the engine has <paramref name="image"/>, pulling it when it is missing or its tag is
    /// <c>latest</c> (Cog 1.0's relay pulled then, and fell back to a local copy when the pull failed).</summary>
    /// <returns><see langword="null"/> when the image is there, else why the bundle cannot run here.</returns>
    public async Task<string?> PrepareAsync(string bundle, DockerImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (BindRefusal(bundle, image) is { } refusal)
        {
            return refusal;
        }
        var reference = Reference(image);
        try
        {
            var present = await _client.HasImageAsync(reference, cancellationToken).ConfigureAwait(false);
            if (present && image.Tag != "latest")
            {
                return null;
            }
            try
            {
                await _client.PullAsync(image.Image, image.Tag, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (EngineApiException e)
            {
                return present ? null : ContainerErrors.ImageMissing(reference, e.Message);
            }
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            return ContainerErrors.EngineUnreachable(_options.Socket, e.Message);
        }
    }

    /// <inheritdoc/>
    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(limits);
        if (invocation.Image is not { } image)
        {
            throw new ArgumentException("Containers run the commands of Docker bundles only.", nameof(invocation));
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
        }
        var target = invocation.Command.Target;
        if (string.IsNullOrWhiteSpace(target))
        {
            return ExecutionOutcome.Error(ExecutableErrors.NoExecutable(invocation.Command.Name));
        }
        if (!target.StartsWith('/'))
        {
            return ExecutionOutcome.Error(ContainerErrors.RelativeExecutable(target));
        }

        string id;
        try
        {
            id = await _client.CreateAsync(Spec(invocation, image, target), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            return ExecutionOutcome.Error(ContainerErrors.CouldNotStart(target, Reference(image), e.Message));
        }
        try
        {
            return await RunCreatedAsync(id, invocation, target, image, limits, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RemoveAsync(id, invocation).ConfigureAwait(false);
        }
    }

    async Task<ExecutionOutcome> RunCreatedAsync(string id, CommandInvocation invocation, string target, DockerImage image, ExecutionLimits limits,
        CancellationToken cancellationToken)
    {
        ContainerAttachment attachment;
        try
        {
            attachment = await _client.AttachAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            return ExecutionOutcome.Error(ContainerErrors.CouldNotStart(target, Reference(image), e.Message));
        }
        await using (attachment.ConfigureAwait(false))
        {
            try
            {
                // Stdin is written before the start: the engine holds it for the command, which may end without reading
                // it (a write after its end would race with the engine closing the stream).
                await WriteInputAsync(attachment, invocation, cancellationToken).ConfigureAwait(false);
                await _client.StartAsync(id, cancellationToken).ConfigureAwait(false);
                var (output, errors) = await ReadAsync(attachment, limits, cancellationToken).ConfigureAwait(false);
                if (output.Overflowed)
                {
                    // The container is killed when it is removed.
                    return ExecutionOutcome.Error(ExecutionErrors.OutputTooLarge(limits.MaxOutputBytes));
                }
                var exitCode = await _client.WaitAsync(id, cancellationToken).ConfigureAwait(false);
                return ExecutableEngine.Conclude(invocation, limits, output, errors, exitCode);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
            }
            catch (Exception e) when (IsEngineFailure(e))
            {
                return ExecutionOutcome.Error(ContainerErrors.Failed(target, Reference(image), e.Message));
            }
        }
    }

    /// <summary>The create request for one invocation.</summary>
    internal ContainerSpec Spec(CommandInvocation invocation, DockerImage image, string target)
    {
        var bundle = invocation.Context.Bundle;
        var sandbox = _options.Sandbox;
        var environment = ExecutableEnvironment.Build(
            ExecutableEnvironment.WithReachableServices(invocation, sandbox.NetworkBundles.Contains(bundle)), NoRelayVariables);
        return new ContainerSpec(
            Reference(image),
            [target],
            [.. environment.OrderBy(static v => v.Key, StringComparer.Ordinal).Select(static v => v.Key + "=" + v.Value)],
            new ContainerHostConfig(
                sandbox.NetworkBundles.Contains(bundle) ? "bridge" : "none",
                sandbox.MemoryBytes,
                sandbox.ContainerCpus * 1_000_000_000L,
                [new ContainerUlimit("nofile", sandbox.OpenFiles, sandbox.OpenFiles), new ContainerUlimit("nproc", sandbox.Processes, sandbox.Processes)],
                image.Binds.IsDefaultOrEmpty ? null : [.. image.Binds]),
            new Dictionary<string, string>(StringComparer.Ordinal) { [RelayLabel] = "yes", ["io.cog.bundle"] = bundle });
    }

    /// <summary>Why the manifest's <c>binds</c> cannot be mounted, or <see langword="null"/>: a bind is a host folder
    /// the command may change, so each must be one of the bundle's <see cref="SandboxOptions.WritableFolders"/>.</summary>
    string? BindRefusal(string bundle, DockerImage image)
    {
        var allowed = _options.Sandbox.WritableFolders.GetValueOrDefault(bundle, []);
        foreach (var bind in image.Binds.IsDefault ? [] : image.Binds)
        {
            var host = bind.Split(':')[0];
            if (!allowed.Contains(Path.TrimEndingDirectorySeparator(host), StringComparer.Ordinal))
            {
                return ContainerErrors.BindNotWritable(bundle, bind);
            }
        }
        return null;
    }

    static async Task WriteInputAsync(ContainerAttachment attachment, CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.SerializeToUtf8Bytes(invocation.Context.Input);
        try
        {
            // A final newline lets `read line` in shell scripts succeed (as for executables on the relay host).
            await attachment.WriteStdinAsync((byte[])[.. input, (byte)'\n'], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The command need not read its input: the engine may close stdin early (a command that ends without reading it).
        }
    }

    /// <summary>Reads the multiplexed stdout and stderr to their end: stdout up to
    /// <see cref="ExecutionLimits.MaxOutputBytes"/> (more stops the reading), stderr up to
    /// <see cref="ExecutionLimits.MaxErrorBytes"/> (the rest is read and dropped).</summary>
    static async Task<(ExecutableEngine.Captured Output, ExecutableEngine.Captured Errors)> ReadAsync(ContainerAttachment attachment,
        ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var output = new Kept(limits.MaxOutputBytes);
        var errors = new Kept(limits.MaxErrorBytes);
        var buffer = new byte[ChunkSize];
        try
        {
            while (await attachment.ReadFrameAsync(buffer, cancellationToken).ConfigureAwait(false) is var (stream, length))
            {
                var kept = stream == 2 ? errors : output;
                kept.Add(buffer.AsSpan(0, length));
                if (output.Overflowed)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The engine closed the connection: the container is gone. What was read is what it wrote.
        }
        return (output.Captured, errors.Captured);
    }

    async Task RemoveAsync(string id, CommandInvocation invocation)
    {
        try
        {
            // Not the invocation's token: a cancelled or timed-out command's container must still go.
            await _client.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            invocation.Context.Log.Warn(ContainerErrors.NotRemoved(id, e.Message));
        }
    }

    static string Reference(DockerImage image) => image.Image + ":" + image.Tag;

    static bool IsEngineFailure(Exception e) => e is EngineApiException or HttpRequestException or IOException or SocketException or JsonException;

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    /// <summary>The first bytes of one stream, up to a limit, and how many came in all.</summary>
    sealed class Kept(int limit)
    {
        readonly MemoryStream _kept = new();
        long _total;

        public bool Overflowed { get; private set; }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            _total += bytes.Length;
            var room = limit - (int)_kept.Length;
            _kept.Write(bytes[..Math.Min(bytes.Length, Math.Max(room, 0))]);
            Overflowed |= bytes.Length > room;
        }

        public ExecutableEngine.Captured Captured => new(_kept.GetBuffer().AsMemory(0, (int)_kept.Length), Overflowed, _total);
    }
}

/// <summary>How the relay reaches its container engine, and how it confines containers.</summary>
/// <param name="Socket">The Docker Engine API's Unix socket (Docker's <c>/var/run/docker.sock</c>, or Podman's
/// <c>podman system service</c> socket).</param>
/// <param name="Sandbox">The sandbox settings: network bundles, writable folders, memory, CPU, process and file limits.</param>
sealed record ContainerOptions(string Socket, SandboxOptions Sandbox);
