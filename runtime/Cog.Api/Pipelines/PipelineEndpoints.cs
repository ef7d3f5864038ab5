using System.Globalization;
using System.Text.Json;
using Cog.Api.Infrastructure;
using Cog.Language.Resolution;
using Cog.Language.Pipelines;
using Cog.Runtime.Chat;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Api.Pipelines;

/// <summary>Pipelines over the API (docs/api.md "Pipelines"): run one as the caller, explain one without running it, list,
/// show and kill running ones.</summary>
/// <remarks>Pipelines are listed, shown and killed across the servers sharing the store: the list is the shared history,
/// and a kill reaches the server that runs the pipeline. Needs <see cref="IPipelineRunner"/>, <see cref="IPipelineMonitor"/>, <see cref="IStore"/> and
/// <see cref="TimeProvider"/> in the host's services; with <see cref="ChatDestinations"/> there too, a run's redirects are
/// resolved and delivered as a trigger's are (<c>chat://</c> and <c>provider://</c> targets; <c>here</c> is the response,
/// which carries the output in any case). Every route needs an authenticated caller; explaining for someone else needs
/// <c>operable:manage_commands</c>; seeing or killing someone else's pipelines needs
/// <c>operable:manage_user_pipeline</c>.</remarks>
public static class PipelineEndpoints
{
    /// <summary>The provider name of pipelines started over the API.</summary>
    public const string Provider = "http";

    const int DefaultLimit = 50;
    const int MaxLimit = 1000;

    /// <summary>Maps <c>/v1/pipelines</c>.</summary>
    public static RouteGroupBuilder MapPipelineEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/pipelines").RequireAuthorization(ApiPolicies.Authenticated);
        group.MapPost("", (Delegate)RunAsync);
        group.MapPost("/explain", (Delegate)ExplainAsync);
        group.MapGet("", (Delegate)ListAsync);
        group.MapGet("/{id}", ShowAsync);
        group.MapDelete("/{id}", KillAsync);
        return group;
    }

    static async Task<IResult> RunAsync(HttpContext context)
    {
        var (text, _, error) = await ReadRequestAsync(context.Request, readAsUser: false);
        if (error is not null)
            return error;
        var services = context.RequestServices;
        var caller = await CallerAsync(services.GetRequiredService<IStore>(), ApiCaller.Of(context).UserId, context.RequestAborted);
        if (caller is null)
            return Results.Unauthorized();
        // Redirects as for triggers: here is this response, chat is reached through chat:// and
        // provider:// targets; every target is resolved before anything runs.
        var destinations = services.GetService<ChatDestinations>();
        var plan = destinations?.ForHttp(caller.UserId);
        var started = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var outcome = await services.GetRequiredService<IPipelineRunner>()
            .RunAsync(new PipelineRequest(text!, caller, PipelineRoom.Direct) { Destinations = plan }, context.RequestAborted);
        // Refused because the audit log could not record it: nothing ran, the caller may try again.
        if (outcome.Audit == PipelineAuditState.Unavailable)
            return StoreUnavailableAnswer.Result();
        var replyContext = new ReplyContext(text!, caller.Username, started);
        if (plan is not null)
            await destinations!.DeliverAsync(plan, outcome, replyContext, context.RequestAborted);
        var reply = await services.GetRequiredService<IReplyComposer>().ComposeAsync(outcome, replyContext, context.RequestAborted);
        return Results.Json(new
        {
            pipeline = new
            {
                id = outcome.PipelineId,
                status = CogMetrics.StatusName(outcome.Status),
                output = ValueJson.List(outcome.Items),
                template = outcome.Template,
                message = outcome.Message,
                position = outcome.Position is { } p ? new { line = p.Line, column = p.Column } : null,
                rendered = PlainTextFormatter.Format(reply),
                // What the reply is, whatever the status: a command's output whose template failed is an error reply.
                reply = ReplyKindName(reply.Kind),
                audit = outcome.Audit == PipelineAuditState.Pending ? "pending" : "recorded",
                audit_message = outcome.Audit == PipelineAuditState.Pending ? PipelineMessages.AuditRecordPending : null,
            },
        }, ApiJson.Options);
    }

    /// <summary>The <c>reply</c> field: <c>output</c>, <c>notice</c>, <c>abort</c> or <c>error</c>.</summary>
    internal static string ReplyKindName(ReplyKind kind) => kind switch
    {
        ReplyKind.Output => "output",
        ReplyKind.Notice => "notice",
        ReplyKind.Abort => "abort",
        _ => "error",
    };

    static async Task<IResult> ExplainAsync(HttpContext context)
    {
        var (text, asUser, error) = await ReadRequestAsync(context.Request, readAsUser: true);
        if (error is not null)
            return error;
        var services = context.RequestServices;
        var store = services.GetRequiredService<IStore>();
        var self = ApiCaller.Of(context);
        var userId = self.UserId;
        if (asUser is not null && !string.Equals(asUser, self.Username, StringComparison.Ordinal))
        {
            if (!await IsAllowedAsync(context, ApiPolicies.ManageCommands))
                return Results.Forbid();
            var other = await store.Users.FindByUsernameAsync(asUser, context.RequestAborted);
            if (other is null)
                return ApiResults.Errors(PipelineApiMessages.UnknownUser(asUser));
            userId = other.Id;
        }
        var caller = await CallerAsync(store, userId, context.RequestAborted);
        if (caller is null)
            return ApiResults.Errors(PipelineApiMessages.UnknownUser(asUser ?? self.Username));
        var explanation = await services.GetRequiredService<IPipelineRunner>()
            .ExplainAsync(new PipelineRequest(text!, caller, PipelineRoom.Direct)
            {
                RequestedBy = caller.UserId == self.UserId ? null : self.Username,
            }, context.RequestAborted);
        return Results.Json(new
        {
            explanation = new
            {
                user = explanation.Caller.Username,
                pipeline = explanation.Text,
                decision = Snake(explanation.Decision.ToString()),
                message = explanation.Message,
                advice = Advice(explanation),
                stages = explanation.Stages.Select(s => new
                {
                    stage = s.Stage,
                    command = s.Command,
                    invocation = s.Invocation,
                    decision = Snake(s.Decision.ToString()),
                    rule = s.Rule,
                    missing = s.Missing.IsDefault ? [] : s.Missing.ToArray(),
                    message = s.Message,
                    aliases = s.Aliases.IsDefault ? [] : s.Aliases.Select(a => new
                    {
                        name = a.Name,
                        visibility = a.Visibility == AliasVisibility.User ? "user" : "site",
                        owner = a.Visibility == AliasVisibility.User ? explanation.Caller.Username : null,
                    }).ToArray(),
                }).ToArray(),
            },
        }, ApiJson.Options);
    }

    /// <summary>What to do about a refusal for lack of permissions (the first stage refused so): which permissions, and
    /// how an administrator grants them; null when nothing is missing.</summary>
    static string? Advice(PipelineExplanation explanation)
    {
        foreach (var stage in explanation.Stages)
        {
            if (stage.Decision == StageDecision.Denied && !stage.Missing.IsDefaultOrEmpty)
                return PipelineApiMessages.GrantAdvice(explanation.Caller.Username, stage.Missing);
        }
        return null;
    }

    static async Task<IResult> ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var state = query["state"].ToString();
        if (state.Length > 0 && state is not ("running" or "finished"))
            errors["state"] = [PipelineApiMessages.BadState];
        var limit = DefaultLimit;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [PipelineApiMessages.BadLimit];

        var services = context.RequestServices;
        var store = services.GetRequiredService<IStore>();
        var self = ApiCaller.Of(context);
        var userName = query["user"].ToString();
        List<User>? scope = null; // null = everybody
        if (userName.Length == 0 || string.Equals(userName, self.Username, StringComparison.Ordinal))
        {
            scope = [await store.Users.GetAsync(self.UserId, context.RequestAborted) ?? throw new InvalidOperationException("The caller's user is gone.")];
        }
        else
        {
            if (!await IsAllowedAsync(context, ApiPolicies.ManageUserPipeline))
                return Results.Forbid();
            if (userName != "all")
            {
                var user = await store.Users.FindByUsernameAsync(userName, context.RequestAborted);
                if (user is null)
                    errors["user"] = [PipelineApiMessages.NoSuchUser];
                else
                    scope = [user];
            }
        }
        if (errors.Count > 0)
            return ApiResults.FieldErrors(errors);

        // Every server records its pipelines in the shared history as they start and end, so it lists the running
        // pipelines of every server, with the server each runs on.
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in scope ?? await store.Users.ListAsync(context.RequestAborted))
            users[user.Id] = user.Username;
        var entries = await store.History.QueryAsync(new HistoryQuery(limit)
        {
            UserId = scope is [var only] ? only.Id : null,
            Unfinished = state == "running",
            State = state == "finished" ? PipelineState.Finished : null,
        }, context.RequestAborted);
        var listed = entries.Select(e => View(e, users.GetValueOrDefault(e.UserId))).ToList();
        return Results.Json(new { pipelines = listed }, ApiJson.Options);
    }

    static async Task<IResult> ShowAsync(HttpContext context, string id)
    {
        var store = context.RequestServices.GetRequiredService<IStore>();
        var entry = await store.History.GetAsync(id, context.RequestAborted);
        if (entry is null)
            return ApiResults.NotFound(PipelineApiMessages.NotFound);
        if (entry.UserId != ApiCaller.Of(context).UserId && !await IsAllowedAsync(context, ApiPolicies.ManageUserPipeline))
            return Results.Forbid();
        var user = await store.Users.GetAsync(entry.UserId, context.RequestAborted);
        return Results.Json(new { pipeline = View(entry, user?.Username) }, ApiJson.Options);
    }

    /// <summary>Kills the pipeline in whichever server runs it: 204 once it is stopped, 422 when it is not running or
    /// its server did not answer.</summary>
    static async Task<IResult> KillAsync(HttpContext context, string id)
    {
        var services = context.RequestServices;
        var entry = await services.GetRequiredService<IStore>().History.GetAsync(id, context.RequestAborted);
        if (entry is null)
            return ApiResults.NotFound(PipelineApiMessages.NotFound);
        if (entry.UserId != ApiCaller.Of(context).UserId && !await IsAllowedAsync(context, ApiPolicies.ManageUserPipeline))
            return Results.Forbid();
        return await services.GetRequiredService<IPipelineMonitor>().KillAsync(entry, context.RequestAborted) switch
        {
            PipelineKill.Killed => Results.NoContent(),
            PipelineKill.OwnerSilent => ApiResults.Errors(PipelineMessages.OwnerSilent(id, entry.Instance ?? "")),
            _ => ApiResults.Errors(PipelineApiMessages.NotRunning(id)),
        };
    }

    /// <summary>Reads <c>{"pipeline": "...", "as_user": "..."}</c>; anything else is a 400.</summary>
    static async Task<(string? Text, string? AsUser, IResult? Error)> ReadRequestAsync(HttpRequest request, bool readAsUser)
    {
        var (document, error) = await ApiJson.ReadDocumentAsync(request);
        if (document is null)
            return (null, null, error);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pipeline", out var pipeline) || pipeline.ValueKind != JsonValueKind.String)
                return (null, null, ApiResults.Errors(ApiMessages.MissingEnvelope("pipeline"), StatusCodes.Status400BadRequest));
            // Refused here, before the pipeline is recorded anywhere; the engine would refuse it with the same limit.
            var text = pipeline.GetString()!;
            var maxLength = PipelineLimits.Default.MaxTextLength;
            if (text.Length > maxLength)
                return (null, null, ApiResults.FieldErrors(new Dictionary<string, string[]> { ["pipeline"] = [PipelineApiMessages.TooLong(text.Length, maxLength)] }));
            string? asUser = null;
            if (readAsUser && root.TryGetProperty("as_user", out var user) && user.ValueKind != JsonValueKind.Null)
            {
                if (user.ValueKind != JsonValueKind.String)
                    return (null, null, ApiResults.FieldErrors(new Dictionary<string, string[]> { ["as_user"] = [PipelineApiMessages.NotString] }));
                asUser = user.GetString();
            }
            return (text, asUser, null);
        }
    }

    static async Task<PipelineCaller?> CallerAsync(IStore store, string userId, CancellationToken cancellationToken)
    {
        var user = await store.Users.GetAsync(userId, cancellationToken);
        return user is null ? null : new PipelineCaller(user.Id, user.Username, user.Username, user.EmailAddress, Provider);
    }

    static async Task<bool> IsAllowedAsync(HttpContext context, string policy) =>
        (await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, policy)).Succeeded;

    static PipelineView View(PipelineHistoryEntry entry, string? username) => new(
        entry.Id, username, entry.Text, entry.Room, entry.Provider, entry.Instance, Snake(entry.State.ToString()), entry.StartedAt, entry.FinishedAt, entry.Count);

    /// <summary><c>NoRule</c> → <c>no_rule</c>.</summary>
    static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>One pipeline in <c>GET /v1/pipelines</c>.</summary>
    /// <param name="Server">The server instance that runs (or ran) it.</param>
    sealed record PipelineView(
        string Id, string? User, string Text, string? Room, string? Provider, string? Server, string State, DateTimeOffset StartedAt,
        DateTimeOffset? FinishedAt, long Processed);
}
