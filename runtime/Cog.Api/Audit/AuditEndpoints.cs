using System.Globalization;
using Cog.Api.Infrastructure;
using Cog.Runtime.Audit;
using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Audit;

/// <summary>The audit log over the API (docs/api.md "Audit"): <c>GET /v1/audit</c> lists records with filters,
/// <c>GET /v1/audit/verify</c> checks the keyed chain and the checkpoints. Both need <c>operable:view_audit</c>.</summary>
/// <remarks>Needs <see cref="IStore"/> and <see cref="AuditVerifier"/> in the host's services.</remarks>
public static class AuditEndpoints
{
    const int DefaultLimit = 100;
    const int MaxLimit = 1000;

    static readonly string[] IsoFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>Maps <c>/v1/audit</c>.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/audit").RequireAuthorization(ApiPolicies.ViewAudit);
        group.MapGet("", (Delegate)ListAsync);
        group.MapGet("/verify", (Delegate)VerifyAsync);
        return group;
    }

    /// <summary>Reads the filters of <c>GET /v1/audit</c>; a bad one is an error naming it.</summary>
    internal static (AuditQuery? Query, Dictionary<string, string[]> Errors) ReadQuery(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors);
        long after = 0;
        if (query.ContainsKey("after") && !long.TryParse(query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out after))
            errors["after"] = [AuditApiMessages.BadSequence];
        long? before = null;
        if (query.ContainsKey("before"))
        {
            if (long.TryParse(query["before"], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                before = value;
            else
                errors["before"] = [AuditApiMessages.BadSequence];
        }
        var newestFirst = false;
        if (Text(query, "order") is { } order)
        {
            if (order is "newest" or "oldest")
                newestFirst = order == "newest";
            else
                errors["order"] = [AuditApiMessages.BadOrder];
        }
        var limit = DefaultLimit;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [AuditApiMessages.BadLimit];
        if (errors.Count > 0)
            return (null, errors);
        return (new AuditQuery(Text(query, "user"), Text(query, "command"), Text(query, "outcome"), Text(query, "kind"), from, to, after, limit,
            before, newestFirst), errors);
    }

    static async Task<IResult> ListAsync(HttpContext context)
    {
        var (query, errors) = ReadQuery(context.Request.Query);
        if (query is null)
            return ApiResults.FieldErrors(errors);
        var records = await context.RequestServices.GetRequiredService<IStore>().Audit.ListAsync(query, context.RequestAborted);
        var views = new object[records.Count];
        for (var i = 0; i < views.Length; i++)
        {
            var r = records[i];
            views[i] = new
            {
                sequence = r.Sequence,
                time = FormatTime(r.Time),
                kind = r.Kind,
                actor = r.Actor,
                command = r.Command,
                outcome = r.Outcome,
                payload = ValueJson.Parse(r.PayloadJson),
                hash = r.Hash,
            };
        }
        return Results.Json(new { audit_records = views }, ApiJson.Options);
    }

    static async Task<IResult> VerifyAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<IStore>();
        var verifier = context.RequestServices.GetRequiredService<AuditVerifier>();
        var verification = await verifier.VerifyAsync(store.Audit, context.RequestAborted);
        return Results.Json(new
        {
            audit_verification = new
            {
                intact = verification.IsIntact,
                records = verification.Checked,
                checkpoints = verification.Checkpoints,
                @break = verification.IsIntact ? null : new { sequence = verification.Sequence, kind = BreakName(verification.Kind), message = verification.Message },
                findings = verification.Findings.Select(f => new
                {
                    kind = BreakName(f.Kind),
                    sequence = f.Sequence,
                    last_sequence = f.LastSequence,
                    message = f.Message,
                }),
                findings_omitted = verification.Omitted,
            },
        }, ApiJson.Options);
    }

    /// <summary>The API's name of a finding's kind (<see cref="AuditBreakKind"/>).</summary>
    public static string BreakName(AuditBreakKind kind) => kind switch
    {
        AuditBreakKind.Missing => "deleted",
        AuditBreakKind.OutOfOrder => "reordered",
        AuditBreakKind.BrokenLink => "relinked",
        AuditBreakKind.Altered => "altered",
        AuditBreakKind.Forged => "forged",
        AuditBreakKind.Renumbered => "renumbered",
        AuditBreakKind.UnknownKey => "unknown_key",
        AuditBreakKind.Truncated => "truncated",
        AuditBreakKind.Emptied => "emptied",
        AuditBreakKind.CheckpointMismatch => "checkpoint_mismatch",
        AuditBreakKind.CheckpointInvalid => "checkpoint_invalid",
        _ => "none",
    };

    /// <summary>ISO-8601 UTC with microseconds, as the audit log keeps time.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;

    static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
            return null;
        // ISO-8601 only (no locale formats); a time without an offset is UTC.
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        errors[name] = [AuditApiMessages.BadTime];
        return null;
    }
}
