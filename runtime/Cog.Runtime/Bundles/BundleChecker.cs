using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cog.Manifest;

namespace Cog.Runtime.Bundles;

/// <summary>
/// Runs the checks a bundle gets before run time (every C# script compiled with the relay's compiler, every plug-in
/// command type read without running it, every template parsed, every executable present and executable — the same
/// checks as <c>cogctl bundle validate</c>) on an unpacked bundle folder, in a child process: the bundle checker
/// executable (Cog.BundleChecker), which prints a <see cref="BundleCheckReport"/>. The server never loads the compiler
/// or bundle code itself, and a hostile script that pins the compiler costs a bounded child: it runs with a GC heap
/// limit (<c>DOTNET_GCHeapHardLimit</c>) and is killed, with its process tree, after the timeout.
/// </summary>
/// <remarks>Every way the checker fails to answer (not configured, not found, timed out, crashed, unreadable output) is a
/// refusal with its reason, never a pass. Thread-safe.</remarks>
sealed class BundleChecker
{
    readonly string? _executable;
    readonly TimeSpan _timeout;
    readonly long _memoryLimit;

    public BundleChecker(string? executable, TimeSpan timeout, long memoryLimitBytes) =>
        (_executable, _timeout, _memoryLimit) = (executable, timeout, memoryLimitBytes);

    /// <summary>Checks the bundle in <paramref name="folder"/>: the refusal (Invalid, with every positioned error; file
    /// paths relative to the bundle) or <see langword="null"/> when it passes, and the warnings of the checks.</summary>
    public async Task<(RegistryError? Refusal, ImmutableArray<ManifestError> Warnings)> CheckAsync(string folder, CancellationToken cancellationToken)
    {
        if (_executable is null)
            return (Invalid(BundleRegistryErrors.CheckerNotConfigured), []);
        if (!File.Exists(_executable))
            return (Invalid(BundleRegistryErrors.CheckerNotFound(_executable)), []);
        // A .dll runs on the dotnet host (as the server runs the dev relay); anything else is started as it is.
        var start = new ProcessStartInfo(_executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : _executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (start.FileName == "dotnet")
            start.ArgumentList.Add(_executable);
        start.ArgumentList.Add(folder);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + _memoryLimit.ToString("X", CultureInfo.InvariantCulture);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (Invalid(BundleRegistryErrors.CheckerFailed(e.Message)), []);
        }
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return (Invalid(BundleRegistryErrors.CheckerTimedOut(_timeout)), []);
        }
        var report = BundleCheckReport.Read(await output.ConfigureAwait(false));
        if (process.ExitCode != 0 || report is not { } read)
            return (Invalid(BundleRegistryErrors.CheckerFailed(LastLine(await error.ConfigureAwait(false)) ?? $"exit code {process.ExitCode}")), []);
        return (read.Errors.IsEmpty ? null : new RegistryError(RegistryErrorKind.Invalid, BundleRegistryErrors.ChecksFailed(read.Errors.Length), read.Errors),
            read.Warnings);
    }

    static string? LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    static RegistryError Invalid(string message) => new(RegistryErrorKind.Invalid, message);
}
