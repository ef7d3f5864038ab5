using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Identity;

/// <summary>Answers in Cog 1.0's envelopes: <c>{"user": {...}}</c> and the errors of <see cref="AdminError"/>.</summary>
static class IdentityResults
{
    /// <summary><c>{"envelope": value}</c> with <paramref name="status"/>.</summary>
    public static IResult Envelope(string envelope, object value, int status = StatusCodes.Status200OK) =>
        Results.Json(new Dictionary<string, object> { [envelope] = value }, ApiJson.Options, statusCode: status);

    /// <summary>The answer for a refused operation: NotFound → 404 <c>{"errors": "..."}</c>; Invalid → 422
    /// <c>{"errors": {"field": [...]}}</c>; UnknownNames → 422 <c>{"errors": {"not_found": {"users": [...]}}}</c>;
    /// Refused → 422 <c>{"errors": "..."}</c>; Forbidden → 403 <c>{"errors": "..."}</c>; Locked → 423.</summary>
    public static IResult Error(AdminError error) => error.Kind switch
    {
        AdminErrorKind.NotFound => ApiResults.NotFound(error.Message),
        AdminErrorKind.Invalid => Results.Json(new { errors = error.Fields }, ApiJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity),
        AdminErrorKind.UnknownNames => Results.Json(
            new { errors = new { not_found = new Dictionary<string, IReadOnlyList<string>> { [error.NameKind!] = error.Names! } } },
            ApiJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity),
        AdminErrorKind.Forbidden => ApiResults.Errors(error.Message, StatusCodes.Status403Forbidden),
        AdminErrorKind.Locked => ApiResults.Errors(error.Message, StatusCodes.Status423Locked),
        _ => ApiResults.Errors(error.Message),
    };
}
