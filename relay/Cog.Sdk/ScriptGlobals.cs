using System.Text.Json;

namespace Cog.Sdk;

/// <summary>What a C# script command (<c>.csx</c>) sees as globals.</summary>
/// <remarks>
/// <para>A script's last expression (or <c>return</c>) is its result: a <see cref="CommandResult"/>, an object that
/// becomes one output item, a sequence of such objects, or nothing (no output). Throwing fails the invocation.</para>
/// <code>
/// // hello.csx
/// return new { greeting = $"Hello, {Args.GetText(0)}!" };
/// </code>
/// <para>A script may use an allow list of namespaces (collections, LINQ, text, JSON, tasks, <c>Cog.Sdk</c>...), and
/// not the file system, processes, reflection, the environment, unmanaged code, threads or <c>async void</c>; the
/// relay rejects such scripts with a positioned diagnostic (<c>COG1001</c>...) before they run. That check is early
/// feedback for authors, not isolation: a script runs in a worker process that the relay's sandbox confines, and the
/// worker is what keeps it from the relay and from other bundles.</para>
/// </remarks>
public sealed class ScriptGlobals(CommandContext context, CancellationToken cancellationToken)
{
    /// <summary>The whole invocation.</summary>
    public CommandContext Context { get; } = context ?? throw new ArgumentNullException(nameof(context));

    /// <summary>The positional arguments (<see cref="CommandContext.Arguments"/>).</summary>
    public CommandArguments Args => Context.Arguments;

    /// <summary>The options (<see cref="CommandContext.Options"/>).</summary>
    public CommandOptions Options => Context.Options;

    /// <summary>The input item (<see cref="CommandContext.Input"/>).</summary>
    public JsonElement Input => Context.Input;

    /// <summary>The pipeline-scoped store (<see cref="CommandContext.Store"/>).</summary>
    public IPipelineStore Store => Context.Store;

    /// <summary>The relay's log (<see cref="CommandContext.Log"/>).</summary>
    public ICommandLog Log => Context.Log;

    /// <summary>Cancelled when the deadline passes or the pipeline is killed; pass it to everything that waits.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;
}
