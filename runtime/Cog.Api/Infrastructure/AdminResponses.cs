using Cog.Runtime.Bundles;
using Microsoft.AspNetCore.Http;

namespace Cog.Api.Infrastructure;

/// <summary>The answers of the administration endpoints for a refused change: NotFound → 404
/// <c>{"errors": "..."}</c>; a refused field → 422 <c>{"errors": {"field": ["..."]}}</c>; unknown members of a
/// relay-group change → 422 <c>{"errors": {"not_found": {"relays": [...]}}}</c>; invalid manifests → 422 as Cog 1.0
/// answered them, <c>{"errors": ["summary", "Error near #/pointer: …", ...]}</c>, plus every error with its position in
/// <c>manifest_errors</c>; everything else → 422 <c>{"errors": "..."}</c> (a duplicate bundle version: 409; an external broker that refused
/// the relay's login: 503).</summary>
static class AdminResponses
{
    public static IResult Error(RegistryError error, int duplicateStatus = StatusCodes.Status422UnprocessableEntity, string? membersKind = null)
    {
        if (error.Missing.Count > 0 && membersKind is not null)
        {
            return Results.Json(new { errors = new Dictionary<string, object> { ["not_found"] = new Dictionary<string, object> { [membersKind] = error.Missing } } },
                ApiJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        if (error.Field is { } field)
            return ApiResults.FieldErrors(new Dictionary<string, string[]> { [field] = [error.Message] });
        if (!error.ManifestErrors.IsDefaultOrEmpty)
        {
            var lines = error.ManifestErrors.Select(static e => AdminApiMessages.ManifestErrorLine(e.Pointer, e.ToString()));
            var positioned = error.ManifestErrors.Select(static e => new { message = e.Message, file = e.File, line = e.Line, column = e.Column, pointer = e.Pointer });
            return Results.Json(new { errors = lines.Prepend(error.Message).ToList(), manifest_errors = positioned }, ApiJson.Options,
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        return error.Kind switch
        {
            RegistryErrorKind.NotFound => ApiResults.NotFound(error.Message),
            RegistryErrorKind.Duplicate => ApiResults.Errors(error.Message, duplicateStatus),
            RegistryErrorKind.Unavailable => ApiResults.Errors(error.Message, StatusCodes.Status503ServiceUnavailable),
            _ => ApiResults.Errors(error.Message),
        };
    }

    /// <summary>A field of the request of the wrong JSON type.</summary>
    public static IResult InvalidField(string field) => ApiResults.FieldErrors(new Dictionary<string, string[]> { [field] = [AdminApiMessages.IsInvalid] });
}
