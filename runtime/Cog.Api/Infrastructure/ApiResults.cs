using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>The API's error answers in Cog 1.0's envelopes.</summary>
public static class ApiResults
{
    /// <summary><c>{"errors": "message"}</c> with <paramref name="status"/> (422 unless said otherwise).</summary>
    public static IResult Errors(string message, int status = StatusCodes.Status422UnprocessableEntity) =>
        Results.Json(new { errors = message }, statusCode: status);

    /// <summary><c>{"errors": {"field": ["message", ...]}}</c>, 422.</summary>
    public static IResult FieldErrors(IReadOnlyDictionary<string, string[]> errors) =>
        Results.Json(new { errors }, statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary><c>{"errors": "message"}</c>, 404.</summary>
    public static IResult NotFound(string message) => Errors(message, StatusCodes.Status404NotFound);

    /// <summary>The answer for a refused store operation: NotFound → 404; Duplicate, InUse, Protected → 422 (a
    /// duplicate bundle version is 409: callers pass <paramref name="duplicateStatus"/>).</summary>
    public static IResult FromStoreError(StoreError error, int duplicateStatus = StatusCodes.Status422UnprocessableEntity)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            StoreErrorKind.NotFound => NotFound(error.Message),
            StoreErrorKind.Duplicate => Errors(error.Message, duplicateStatus),
            _ => Errors(error.Message),
        };
    }
}
