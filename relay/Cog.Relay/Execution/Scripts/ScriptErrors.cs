using System.Globalization;

namespace Cog.Relay.Execution.Scripts;

/// <summary>The messages of the script compiler (pinned by tests). Compile errors use the compiler's format
/// (<see cref="ScriptDiagnostic.ToString"/>).</summary>
static class ScriptErrors
{
    /// <summary>The most diagnostics one error message lists; the rest are counted.</summary>
    public const int MaxListedDiagnostics = 10;

    public static string NotFound(string file) => $"The script '{file}' was not found in the bundle.";

    public static string OutsideBundle(string file) => $"The script path '{file}' points outside the bundle folder.";

    public static string MoreDiagnostics(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"... and {count} more error(s).");

    /// <summary>The error message for a script that does not compile: one diagnostic per line.</summary>
    public static string CompileFailed(IReadOnlyList<ScriptDiagnostic> diagnostics)
    {
        var lines = new List<string>(Math.Min(diagnostics.Count, MaxListedDiagnostics) + 1);
        for (var i = 0; i < diagnostics.Count && i < MaxListedDiagnostics; i++)
        {
            lines.Add(diagnostics[i].ToString());
        }
        if (diagnostics.Count > MaxListedDiagnostics)
        {
            lines.Add(MoreDiagnostics(diagnostics.Count - MaxListedDiagnostics));
        }
        return string.Join('\n', lines);
    }
}
