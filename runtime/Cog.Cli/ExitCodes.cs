namespace Cog.Cli;

/// <summary>cogctl's exit codes, a stable interface for scripts.</summary>
static class ExitCodes
{
    /// <summary>The command did what was asked (a rule check that allows, a manifest that validates...).</summary>
    public const int Success = 0;

    /// <summary>The input was understood but failed: a parse or validation error, or a denial.</summary>
    public const int Failure = 1;

    /// <summary>cogctl itself was called wrongly: unknown command, missing argument, unreadable file.</summary>
    public const int Usage = 2;
}
