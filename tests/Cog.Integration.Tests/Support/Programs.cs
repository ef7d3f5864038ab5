using System.Diagnostics;

namespace Cog.Integration.Tests.Support;

/// <summary>Runs a program to its end: its exit code and what it printed on each stream.</summary>
static class Programs
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> (in <paramref name="workingDirectory"/> when
    /// given); <paramref name="environment"/> sets variables over this process's, and a null value removes one.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output, await error);
    }
}
