using System.Text.Json.Nodes;

namespace Cog.Cli.Api;

/// <summary>Why a request did not give what was asked: the text printed after <c>Error: </c> and the exit code.</summary>
sealed record ApiFailure(string Message, int ExitCode);

/// <summary>The answer to one request: the envelope's content on success (null for an empty body), or a failure.</summary>
sealed record ApiResult(int Status, JsonNode? Content, ApiFailure? Failure)
{
    /// <summary>True when the server accepted the request and the expected envelope was there.</summary>
    public bool Ok => Failure is null;

    /// <summary>The content as an object (an empty object when the server sent something else).</summary>
    public JsonObject Object => Content as JsonObject ?? [];

    /// <summary>The content as an array (empty when the server sent something else).</summary>
    public JsonArray Array => Content as JsonArray ?? [];

    public static ApiResult Fail(string message, int exitCode, int status = 0) => new(status, null, new ApiFailure(message, exitCode));
}
