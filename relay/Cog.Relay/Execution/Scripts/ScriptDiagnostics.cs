namespace Cog.Relay.Execution.Scripts;

/// <summary>
/// The ids of the diagnostics the relay's script check reports (<see cref="ForbiddenApiChecker"/>), and their messages.
/// </summary>
/// <remarks>
/// <para>These ids are a stable interface: bundle authors and tools (<c>cogctl</c>) match on them. An id is never
/// reused for another meaning; new rules get new ids.</para>
/// <para>The check is early feedback for script authors, not isolation: a script runs in a worker process confined by
/// the relay's sandbox, and that worker, not this check, keeps it from the relay and other bundles. The check
/// resolves every name through the compiler's semantic model, so aliases (<c>using F = System.IO.File;</c>) and fully
/// qualified names are caught like plain ones.</para>
/// </remarks>
static class ScriptDiagnostics
{
    /// <summary>The file system: <c>System.IO</c>, except the in-memory streams, readers and writers
    /// (<c>Stream</c>, <c>MemoryStream</c>, <c>BufferedStream</c>, <c>TextReader</c>, <c>TextWriter</c>,
    /// <c>StringReader</c>, <c>StringWriter</c>, <c>BinaryReader</c>, <c>BinaryWriter</c>, <c>SeekOrigin</c> and the
    /// I/O exceptions). <c>Path</c> is forbidden too: it reads the current directory and the temporary folder.</summary>
    public const string FileSystem = "COG1001";

    /// <summary>Processes and the debugger: <c>System.Diagnostics</c> (<c>Process</c>, <c>Debugger</c>,
    /// <c>StackTrace</c>...), except <c>Stopwatch</c>, <c>UnreachableException</c>, <c>ConditionalAttribute</c> and
    /// <c>System.Diagnostics.CodeAnalysis</c>.</summary>
    public const string Processes = "COG1002";

    /// <summary>Reflection and dynamic loading: <c>System.Reflection</c> (with <c>Emit</c>),
    /// <c>System.Runtime.Loader</c>, <c>Activator</c>, <c>AppDomain</c>, <c>Delegate.CreateDelegate</c>,
    /// <c>Delegate.Method</c>, <c>Delegate.DynamicInvoke</c>, every <c>System.Type</c> member but the descriptive ones
    /// (<c>Name</c>, <c>FullName</c>, <c>Is…</c>), the runtime handles, <c>dynamic</c>, and any value whose type is one
    /// of these (<c>typeof(T).GetMethods()</c>).</summary>
    public const string Reflection = "COG1003";

    /// <summary>The environment: <c>System.Environment</c> (except <c>NewLine</c>) and <c>System.AppContext</c>.</summary>
    public const string Environment = "COG1004";

    /// <summary>Unmanaged and unsafe code: <c>System.Runtime.InteropServices</c> (<c>DllImport</c>, <c>Marshal</c>...),
    /// <c>Unsafe</c>, <c>RuntimeHelpers</c>, the <c>unsafe</c>, <c>fixed</c> and <c>extern</c> keywords, and pointer
    /// types.</summary>
    public const string UnmanagedCode = "COG1005";

    /// <summary>Work that outlives the script or affects the whole process: <c>System.Threading</c> except
    /// cancellation, atomics and locks (so <c>Thread</c>, <c>ThreadPool</c>, <c>Timer</c>, <c>PeriodicTimer</c>,
    /// <c>SynchronizationContext</c>...), <c>Task.Run</c>, <c>Task.Factory</c>/<c>TaskFactory</c>, <c>Task.Start</c>,
    /// <c>Task.ContinueWith</c>, <c>TaskScheduler</c>, <c>Parallel</c>, a <c>CancellationTokenSource</c> used as a
    /// timer (its delay constructors, <c>CancelAfter</c>), finalizers (<c>~C()</c>), <c>GC</c>, <c>Environment.Exit</c> and
    /// <c>Environment.FailFast</c>. A script's work is what it awaits before it returns.</summary>
    public const string Threads = "COG1006";

    /// <summary>The script directives <c>#r</c> and <c>#load</c>: a script compiles against the framework and
    /// <c>Cog.Sdk</c> only, and is one file.</summary>
    public const string Directives = "COG1007";

    /// <summary><c>async void</c> methods, local functions and lambdas: nothing awaits them, so an exception they
    /// throw after their first <c>await</c> ends the process the script runs in. <c>AsyncVoidMethodBuilder</c> too.</summary>
    public const string AsyncVoid = "COG1008";

    /// <summary>A type or member from outside the namespaces a script may use (the allow list of
    /// <see cref="ForbiddenApiChecker"/>: the base types, collections, LINQ, text, JSON, regular expressions,
    /// globalization, numbers, buffers, tasks, <c>Cog.Sdk</c>), e.g. <c>System.Net.WebUtility</c> or
    /// <c>System.Runtime.GCSettings</c>.</summary>
    public const string OutsideAllowedNamespaces = "COG1009";

    /// <summary>The message of a forbidden API or keyword: <c>'System.IO.File' is not allowed in scripts (file system access).</c></summary>
    public static string Forbidden(string id, string what) => $"'{what}' is not allowed in scripts ({Reason(id)}).";

    /// <summary>Why an id forbids what it forbids, as the message says it.</summary>
    public static string Reason(string id) => id switch
    {
        FileSystem => "file system access",
        Processes => "processes and the debugger",
        Reflection => "reflection and dynamic loading",
        Environment => "the environment",
        UnmanagedCode => "unmanaged and unsafe code",
        Threads => "threads, timers, background work, the garbage collector and process exit",
        Directives => "a script compiles against the framework and Cog.Sdk only, in one file",
        AsyncVoid => "an exception it throws ends the process: return a Task and await it",
        OutsideAllowedNamespaces => "outside the namespaces a script may use",
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Not a script diagnostic id."),
    };
}
