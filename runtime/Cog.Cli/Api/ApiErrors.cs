namespace Cog.Cli.Api;

/// <summary>Messages about talking to the server (printed after <c>Error: </c>). The server's own messages are printed
/// verbatim; these cover what it does not say.</summary>
static class ApiErrors
{
    public static string CannotConnect(string url, string reason) => $"cannot connect to {url}: {reason}";

    public static string TimedOut(string url, int seconds) => $"cannot connect to {url}: no answer within {seconds} s";

    /// <summary>A 401 with an empty body: an unknown token (or credentials the server did not take).</summary>
    public const string Unauthenticated = "not authenticated: the server did not accept the token";

    /// <summary>A refusal with no readable message (e.g. a proxy's HTML page).</summary>
    public static string Status(int status, string? reason) => $"the server answered {status} {reason}".TrimEnd();

    public static string MissingEnvelope(string envelope) => $"the server's answer has no '{envelope}'";
}
