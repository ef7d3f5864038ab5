namespace Cog.Api.Infrastructure;

/// <summary>The API's own messages; Cog 1.0's texts where it had them. Tests pin them.</summary>
public static class ApiMessages
{
    /// <summary>Cog 1.0: an expired token.</summary>
    public const string TokenExpired = "token expired";

    /// <summary>Cog 1.0: an authenticated caller without the permission.</summary>
    public const string NotAuthorized = "Not authorized.";

    /// <summary>The body is larger than the route accepts.</summary>
    public static string BodyTooLarge(long limit) => $"The request body is larger than the {limit} bytes this route accepts.";

    /// <summary>The body is not JSON, with where System.Text.Json stopped.</summary>
    public static string InvalidJson(long? line, long? position, string detail) =>
        line is null ? $"The request body is not valid JSON: {detail}" : $"The request body is not valid JSON at line {line + 1}, position {position + 1}: {detail}";

    /// <summary>The body is not UTF-8 text, with where the first bad byte is (0-based, shown 1-based).</summary>
    public static string InvalidUtf8(int line, int position) =>
        $"The request body is not valid UTF-8 at line {line + 1}, position {position + 1}.";

    /// <summary>A key given twice in one JSON object of the body (0-based line and position, shown 1-based).</summary>
    public static string DuplicateKey(string key, string path, int line, int position) =>
        $"The request body has the key \"{key}\" twice in {path} (line {line + 1}, position {position + 1}).";

    /// <summary>The message of an error answer that had none: a route that does not exist or a method it does not take
    /// (named), else the status's reason phrase.</summary>
    public static string EmptyError(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var status = context.Response.StatusCode;
        var phrase = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return status is 404 or 405 ? $"{phrase}: no route answers {context.Request.Method} {context.Request.Path}." : phrase + ".";
    }

    /// <summary>The answer to a request the server failed on (the failure itself goes to the server's log only).</summary>
    public const string InternalError = "The server failed to answer this request; the failure is in the server's log.";

    /// <summary>A JSON body is required and is missing, or lacks its envelope.</summary>
    public static string MissingEnvelope(string envelope) => $"The request body must be a JSON object with a \"{envelope}\" member.";

    /// <summary>A membership or grant change that names no operation.</summary>
    public static string NoChangeOperation(string kind, string expected) =>
        $"Nothing was changed: \"{kind}\" must be an object with {expected}, each a list of names.";

    /// <summary>A membership or grant change with an operation the route does not take.</summary>
    public static string UnknownChangeOperation(string kind, string operation, string expected) =>
        $"Nothing was changed: \"{operation}\" is not an operation of \"{kind}\"; give {expected}, each a list of names.";
}
