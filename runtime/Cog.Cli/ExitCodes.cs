namespace Cog.Cli;

/// <summary>cogctl's exit codes, a stable interface for scripts (docs/cogctl.md).</summary>
static class ExitCodes
{
    /// <summary>The command did what was asked (a rule check that allows, a manifest that validates...).</summary>
    public const int Success = 0;

    /// <summary>The input was understood but failed: a parse or validation error, a denial, a failed pipeline,
    /// a broken audit chain, a confirmation answered "no".</summary>
    public const int Failure = 1;

    /// <summary>cogctl itself was called wrongly: unknown command, missing argument, unreadable file, no profile.</summary>
    public const int Usage = 2;

    /// <summary>The server refused the request (404, 409, 422, 403 on a route...); its message is printed.</summary>
    public const int ServerRefused = 3;

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const int CannotConnect = 4;

    /// <summary>The server did not accept the credentials or the token (401, or invalid credentials).</summary>
    public const int Unauthorized = 5;
}
