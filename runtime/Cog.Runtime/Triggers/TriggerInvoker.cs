using System.Collections.Immutable;
using Cog.Language.Pipelines;
using Cog.Language.Values;
using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Triggers;

/// <summary>Runs a trigger's pipeline for an HTTP request and decides the answer, exactly as Cog 1.0 does (docs/triggers.md).</summary>
/// <remarks>
/// <para>The trigger is found by id or name (400 <c>Bad ID format</c>, 404 <c>Trigger not found</c>). The id is the
/// capability: whoever has it may invoke the trigger, with no token (as Cog 1.0, which knew only ids). A name is not a
/// secret, so invoking by name needs a token (401 <see cref="TriggerErrors.NameNeedsToken"/>, checked before the name
/// is looked up so that the answer does not tell which names exist), and when the trigger runs as someone other than
/// the token's user, that user must hold <see cref="ManageTriggersPermission"/> (403), as whoever holds it can read the
/// trigger's id anyway. A request a page of another site sent (<see cref="TriggerInvocation.CrossOrigin"/>) is refused
/// (403) unless the trigger allows cross-origin requests. These refusals carry a <see cref="TriggerDenial"/> for the
/// audit log. Then a disabled trigger is refused (422). It runs as its <c>as_user</c> (422 <c>Configured trigger user
/// does not exist</c> when that user is gone or inactive) or else as the owner of the request's token (401 without
/// one); a body the web layer could not read is answered last (<see cref="TriggerInvocation.BodyUnreadable"/>).
/// Nothing runs after any refusal. The first stage binds against one
/// item, <c>{trigger_id, headers, query_params, body, raw_body}</c>; provider <c>http</c>, room <c>direct</c>, the
/// pipeline id doubles as the request id. When running as the token's owner, the <c>authorization</c> header (that
/// user's Cog token) is left out of <c>headers</c>.</para>
/// <para>The request waits <c>timeout_sec − buffer</c> (zero when the buffer is larger): success → 200
/// <c>{"status":"success","pipeline_output":[...]}</c>, or 204 when the output goes only to <c>chat://</c> targets;
/// no output → 200 with <c>"message":"Terminated early"</c>; an abort → 200 <c>{"status":"aborted","pipeline_output":[],
/// "message":…}</c> (ours: the reference does not say); a failure → 500
/// <c>{"status":"error","pipeline_output":{"error_message":…}}</c>; not done in time → 202 and the pipeline goes on.
/// Redirects are resolved by <see cref="ChatDestinations"/> for an HTTP origin: <c>here</c> is the
/// response; <c>chat://#room</c>, <c>chat://@user</c> (the default chat provider) and <c>provider://…</c> targets get the
/// output through the chat providers (composed with the reply composer); <c>me</c>, bare <c>#room</c>, <c>@user</c> and
/// names are invalid. Invalid targets are refused before anything runs (500 with the reference's "redirects are invalid"
/// message), whether written in the trigger's text or brought in by an alias. Errors never go to chat destinations.</para>
/// <para>Thread-safe. Disposing stops the pipelines still running after their request was answered (server shutdown).</para>
/// </remarks>
public sealed partial class TriggerInvoker : IDisposable
{
    /// <summary>The provider name of HTTP-started pipelines.</summary>
    public const string Provider = "http";

    /// <summary>The permission that lets a token's user invoke, by name, a trigger that runs as someone else.</summary>
    public const string ManageTriggersPermission = "operable:manage_triggers";

    readonly IStore _store;
    readonly IPipelineRunner _runner;
    readonly ChatDestinations _destinations;
    readonly TimeProvider _time;
    readonly TimeSpan _buffer;
    readonly ILogger<TriggerInvoker> _logger;
    readonly CancellationTokenSource _stopping = new();

    /// <summary>Creates the invoker; <paramref name="destinations"/> resolves redirects and delivers chat output.</summary>
    public TriggerInvoker(IStore store, IPipelineRunner runner, ChatDestinations destinations, TimeProvider time, TriggerInvokerOptions options,
        ILogger<TriggerInvoker> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TimeoutBuffer, TimeSpan.Zero);
        (_store, _runner, _destinations, _time, _buffer, _logger) = (store, runner, destinations, time, options.TimeoutBuffer, logger);
    }

    /// <summary>Handles one request; <paramref name="cancellationToken"/> (the request going away) stops the wait, not
    /// the pipeline.</summary>
    public async Task<TriggerResponse> InvokeAsync(TriggerInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!TriggerNames.TryReadKey(invocation.TriggerKey, out var id, out _))
            return Refusal(400, TriggerErrors.BadId);
        var trigger = id is null ? null : await _store.Triggers.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var byName = trigger is null;
        if (trigger is null)
        {
            // Not an id we know: a name (which may look like a UUID), looked up only for a token's user.
            if (invocation.TokenUserId is null)
                return id is not null ? Refusal(404, TriggerErrors.NotFound) : Denied(401, TriggerErrors.NameNeedsToken, new("a trigger named in the URL without a token"));
            trigger = await _store.Triggers.FindByNameAsync(invocation.TriggerKey, cancellationToken).ConfigureAwait(false);
            if (trigger is null)
                return Refusal(404, TriggerErrors.NotFound);
        }
        if (invocation.CrossOrigin is { } crossOrigin && !trigger.AllowCrossOrigin)
            return Denied(403, TriggerErrors.CrossOriginRefused, new($"a cross-origin request ({crossOrigin})"));
        if (!trigger.Enabled)
            return Refusal(422, TriggerErrors.NotEnabled);

        User? user;
        var headers = invocation.Headers;
        if (trigger.AsUser is { } asUser)
        {
            user = await _store.Users.FindByUsernameAsync(asUser, cancellationToken).ConfigureAwait(false);
            if (user is not { Active: true })
                return Refusal(422, TriggerErrors.UserMissing);
            if (byName && user.Id != invocation.TokenUserId && !invocation.TokenUserManagesTriggers)
                return Denied(403, TriggerErrors.NameNeedsPermission(asUser), new($"the trigger runs as {asUser}", ManageTriggersPermission));
        }
        else
        {
            user = invocation.TokenUserId is { } userId ? await _store.Users.GetAsync(userId, cancellationToken).ConfigureAwait(false) : null;
            if (user is not { Active: true })
                return new TriggerResponse(401, null, null);
            headers = Without(headers, "authorization");
        }
        if (invocation.BodyUnreadable)
            return TriggerResponse.BodyUnreadable;

        var pipelineId = StoreId.New();
        // The redirect written in the trigger is checked before the pipeline is even started (the engine checks again
        // after alias expansion, before anything runs).
        var plan = _destinations.ForHttp(user.Id);
        if (PipelineParser.Parse(trigger.Pipeline).TryGetValue(out var syntax) && syntax.Redirect is { } redirect
            && await plan.CheckAsync(redirect, cancellationToken).ConfigureAwait(false) is { } invalid)
            return Error(invalid, pipelineId);

        var context = new ObjectValue([
            new("trigger_id", new StringValue(trigger.Id)),
            new("headers", headers),
            new("query_params", invocation.QueryParams),
            new("body", invocation.Body),
            new("raw_body", new StringValue(invocation.RawBody)),
        ]);
        var request = new PipelineRequest(trigger.Pipeline, new PipelineCaller(user.Id, user.Username, user.Username, user.EmailAddress, Provider), PipelineRoom.Direct)
        {
            InitialItems = [context],
            PipelineId = pipelineId,
            Destinations = plan,
        };
        // The pipeline belongs to the server, not to the request: it goes on after a 202 or a client that hung up, and
        // its chat output is delivered whenever it ends.
        var running = RunAndDeliverAsync(request, plan, new ReplyContext(trigger.Pipeline, user.Username, _time.GetUtcNow()), _stopping.Token);
        var wait = TimeSpan.FromSeconds(trigger.TimeoutSeconds) - _buffer;
        PipelineOutcome outcome;
        try
        {
            outcome = await running.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = ObserveAsync(running, trigger.Name, pipelineId);
            return new TriggerResponse(202, Obj(("status", new StringValue(TriggerErrors.StillProcessing(trigger.TimeoutSeconds))), ("id", new StringValue(pipelineId))), pipelineId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = ObserveAsync(running, trigger.Name, pipelineId);
            throw;
        }
        return Answer(outcome, plan, pipelineId);
    }

    async Task<PipelineOutcome> RunAndDeliverAsync(PipelineRequest request, DestinationPlan plan, ReplyContext context, CancellationToken cancellationToken)
    {
        var outcome = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        await _destinations.DeliverAsync(plan, outcome, context, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Stops the pipelines that outlived their requests.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    static TriggerResponse Answer(PipelineOutcome outcome, DestinationPlan plan, string pipelineId)
    {
        switch (outcome.Status)
        {
            case PipelineStatus.Succeeded:
                if (!plan.AnswersOrigin)
                    return new TriggerResponse(204, null, pipelineId);
                return new TriggerResponse(200, Obj(("status", new StringValue("success")), ("pipeline_output", new ListValue(outcome.Items))), pipelineId);
            case PipelineStatus.NoOutput:
                return new TriggerResponse(200, Obj(
                    ("status", new StringValue("success")), ("pipeline_output", new ListValue([])), ("message", new StringValue(TriggerErrors.TerminatedEarly))), pipelineId);
            case PipelineStatus.Aborted:
                return new TriggerResponse(200, Obj(
                    ("status", new StringValue("aborted")), ("pipeline_output", new ListValue([])), ("message", Text(outcome.Message))), pipelineId);
            default:
                return Error(outcome.Message ?? "", pipelineId);
        }
    }

    static TriggerResponse Error(string message, string pipelineId) => new(500, Obj(
        ("status", new StringValue("error")), ("pipeline_output", Obj(("error_message", new StringValue(message))))), pipelineId);

    static TriggerResponse Refusal(int status, string message) => new(status, Obj(("errors", new StringValue(message))), null);

    static TriggerResponse Denied(int status, string message, TriggerDenial denial) => Refusal(status, message) with { Denial = denial };

    static ObjectValue Without(ObjectValue headers, string name)
    {
        var kept = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(headers.Members.Length);
        foreach (var member in headers.Members)
        {
            if (!string.Equals(member.Key, name, StringComparison.Ordinal))
                kept.Add(member);
        }
        return kept.Count == headers.Members.Length ? headers : new ObjectValue(kept.DrainToImmutable());
    }

    static Value Text(string? text) => text is null ? NullValue.Instance : new StringValue(text);

    static ObjectValue Obj(params (string Name, Value Value)[] members)
    {
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(members.Length);
        foreach (var (memberName, value) in members)
            builder.Add(new(memberName, value));
        return new ObjectValue(builder.MoveToImmutable());
    }

    async Task ObserveAsync(Task<PipelineOutcome> running, string trigger, string pipelineId)
    {
        try
        {
            var outcome = await running.ConfigureAwait(false);
            LogFinishedLate(_logger, trigger, pipelineId, outcome.Status);
        }
        catch (OperationCanceledException)
        {
            LogStopped(_logger, trigger, pipelineId);
        }
#pragma warning disable CA1031 // The request was answered; a runner failure can only be logged here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(_logger, e, trigger, pipelineId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trigger {Trigger}: pipeline {PipelineId} ended after its request was answered ({Status}).")]
    static partial void LogFinishedLate(ILogger logger, string trigger, string pipelineId, PipelineStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trigger {Trigger}: pipeline {PipelineId} was stopped by the server's shutdown.")]
    static partial void LogStopped(ILogger logger, string trigger, string pipelineId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trigger {Trigger}: pipeline {PipelineId} failed after its request was answered.")]
    static partial void LogFailed(ILogger logger, Exception exception, string trigger, string pipelineId);
}
