using System.Globalization;

namespace Cog.Relay.Execution.Scripts;

/// <summary>One error found in a script: a compiler error (<c>CS…</c>) or a forbidden API or directive (<c>COG…</c>,
/// see <see cref="ScriptDiagnostics"/>).</summary>
/// <param name="Id">The diagnostic id, e.g. <c>CS0103</c> or <c>COG1001</c>.</param>
/// <param name="Message">What is wrong, without the position.</param>
/// <param name="File">The script path relative to the bundle folder, as the manifest gives it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
sealed record ScriptDiagnostic(string Id, string Message, string File, int Line, int Column)
{
    /// <summary>The compiler's format: <c>scripts/hello.csx(3,5): error CS0103: The name 'x' does not exist in the current context</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column}): error {Id}: {Message}");
}
