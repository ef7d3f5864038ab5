using Cog.Language.Pipelines;
using Cog.Language.Values;
using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.BuiltIns;
using Cog.Runtime.Tests.Bundles;
using Cog.Runtime.Tests.Pipeline;
using Cog.Runtime.Triggers;
using Cog.Testing.Chat;
using Cog.Testing.Rendering;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Tests.Triggers;

public sealed class TriggerInvokerTests : IAsyncLifetime
{
    static readonly ObjectValue NoHeaders = new([]);

    StoreWorld _world = null!;
    string _aliceId = "";
    readonly ScriptedRunner _runner = new();
    readonly FakeChatProvider _slack = new("slack");
    ChatRoom _ops = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await StoreWorld.OpenAsync();
        _aliceId = (await _world.UserAsync("alice")).Id;
        await _world.UserAsync("hooks");
        _ops = _slack.AddRoom("ops");
        _slack.AddUser("bob");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    ChatDestinations Destinations() =>
        new(new ChatProviders([_slack]), _world.Store.Users, TestComposers.Over(_world.Store), NullLogger<ChatDestinations>.Instance);

    static IPipelineRunner Engine()
    {
        var kit = new OperableKit();
        return new EngineRunner(new PipelineEngine(kit.Directory, kit.Commands, new CollectingAudit(), kit.Time, PipelineEngineOptions.Default));
    }

    TriggerInvoker Invoker(IPipelineRunner? runner = null, TimeSpan? buffer = null) => new(_world.Store, runner ?? _runner, Destinations(), _world.Time,
        new TriggerInvokerOptions { TimeoutBuffer = buffer ?? TimeSpan.FromSeconds(2) }, NullLogger<TriggerInvoker>.Instance);

    async Task<Trigger> TriggerAsync(string pipeline = "echo hi", string? asUser = "hooks", int timeout = 30, bool enabled = true, string name = "hook",
        bool allowCrossOrigin = false) =>
        (await _world.Store.Triggers.CreateAsync(new Trigger(Guid.NewGuid().ToString("D"), name, pipeline, null, asUser, timeout, enabled, allowCrossOrigin), Ct)).GetValueOrThrow();

    static TriggerInvocation Call(string key, ObjectValue? headers = null, Value? body = null, string? tokenUserId = null) =>
        new(key, headers ?? NoHeaders, new ObjectValue([]), body ?? new ObjectValue([]), "", tokenUserId);

    static PipelineOutcome Outcome(PipelineStatus status, string? message = null, string? redirect = null, params Value[] items) =>
        new("p-1", status, [.. items], null, message, null, null,
            redirect is null ? null : PipelineParser.Parse("echo x " + redirect).Value!.Redirect);

    [Fact]
    public async Task The_first_stage_binds_against_the_trigger_context_and_success_answers_200_with_the_output()
    {
        var runner = Engine();
        var trigger = await TriggerAsync("echo $body.name $query_params.env $headers.x-thing $trigger_id $raw_body");
        var invocation = new TriggerInvocation(trigger.Id, new ObjectValue([new("x-thing", new StringValue("abc"))]),
            new ObjectValue([new("env", new StringValue("prod"))]), OperableKit.J("""{"name": "web"}"""), "raw!", null);

        var response = await Invoker(runner).InvokeAsync(invocation, Ct);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal($$"""{"status":"success","pipeline_output":[{"body":["web prod abc {{trigger.Id}} raw!"]}]}""", response.Body!.ToJson());
    }

    [Fact]
    public async Task The_pipeline_runs_as_the_configured_user_over_http_in_the_direct_room()
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        var request = Assert.Single(_runner.Requests);
        Assert.Equal(("hooks", "hooks", "http"), (request.Caller.Username, request.Caller.ChatHandle, request.Caller.Provider));
        Assert.Equal(PipelineRoom.Direct, request.Room);
        Assert.Equal(response.PipelineId, request.PipelineId);
        Assert.Equal("echo hi", request.Text);
    }

    [Fact]
    public async Task Without_a_configured_user_it_runs_as_the_token_owner_and_hides_the_token_header()
    {
        var trigger = await TriggerAsync(asUser: null);
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));
        var headers = new ObjectValue([new("authorization", new StringValue("token secret")), new("x-a", new StringValue("1"))]);

        await Invoker().InvokeAsync(Call(trigger.Id, headers, tokenUserId: _aliceId), Ct);

        var request = Assert.Single(_runner.Requests);
        Assert.Equal("alice", request.Caller.Username);
        var context = (ObjectValue)Assert.Single(request.InitialItems);
        Assert.True(context.TryGetMember("headers", out var seen));
        Assert.Equal("""{"x-a":"1"}""", seen.ToJson());
    }

    [Fact]
    public async Task Without_a_configured_user_or_a_token_the_request_must_authenticate()
    {
        var trigger = await TriggerAsync(asUser: null);

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((401, null), (response.StatusCode, response.Body));
        Assert.Empty(_runner.Requests);
    }

    [Theory]
    [InlineData("not a valid id!", 400, """{"errors":"Bad ID format"}""")]
    [InlineData("nope", 404, """{"errors":"Trigger not found"}""")]
    [InlineData("5f0c2a55-8d0c-4a4b-9a6e-0d6a1c3e7b11", 404, """{"errors":"Trigger not found"}""")]
    [InlineData("off", 422, """{"errors":"Trigger is not enabled"}""")]
    [InlineData("orphan", 422, """{"errors":"Configured trigger user does not exist"}""")]
    public async Task Refusals_answer_as_cog_did(string key, int status, string body)
    {
        await TriggerAsync(name: "off", enabled: false, asUser: null);
        await TriggerAsync(name: "orphan", asUser: "ghost");

        var response = await Invoker().InvokeAsync(Call(key, tokenUserId: _aliceId), Ct);

        Assert.Equal((status, body), (response.StatusCode, response.Body!.ToJson()));
        Assert.Null(response.Denial);
        Assert.Empty(_runner.Requests);
    }

    [Theory]
    [InlineData("hook")]
    [InlineData("nope")]
    public async Task A_name_needs_a_token_whether_or_not_a_trigger_has_it(string key)
    {
        await TriggerAsync();

        var response = await Invoker().InvokeAsync(Call(key), Ct);

        Assert.Equal((401, $$"""{"errors":"{{TriggerErrors.NameNeedsToken}}"}"""), (response.StatusCode, response.Body!.ToJson()));
        Assert.Equal(new TriggerDenial("a trigger named in the URL without a token"), response.Denial);
        Assert.Empty(_runner.Requests);
    }

    [Fact]
    public async Task An_id_needs_no_token_and_an_unknown_id_is_not_found_without_one()
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));

        var byId = await Invoker().InvokeAsync(Call(trigger.Id.ToUpperInvariant()), Ct);
        var unknown = await Invoker().InvokeAsync(Call(Guid.NewGuid().ToString("D")), Ct);

        Assert.Equal((200, 404), (byId.StatusCode, unknown.StatusCode));
        Assert.Equal("hooks", Assert.Single(_runner.Requests).Caller.Username);
    }

    [Fact]
    public async Task A_trigger_named_like_a_uuid_is_found_by_name_with_a_token()
    {
        const string Name = "0b7c6a9e-1d2f-4e3a-8b5c-6d7e8f9a0b1c";
        await TriggerAsync(name: Name, asUser: null);
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));

        var anonymous = await Invoker().InvokeAsync(Call(Name), Ct);
        var withToken = await Invoker().InvokeAsync(Call(Name, tokenUserId: _aliceId), Ct);

        Assert.Equal((404, 200), (anonymous.StatusCode, withToken.StatusCode));
        Assert.Equal("alice", Assert.Single(_runner.Requests).Caller.Username);
    }

    [Fact]
    public async Task By_name_a_trigger_runs_as_someone_else_only_for_a_user_who_manages_triggers()
    {
        await TriggerAsync();
        var hooksId = (await _world.Store.Users.FindByUsernameAsync("hooks", Ct))!.Id;
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));

        var refused = await Invoker().InvokeAsync(Call("hook", tokenUserId: _aliceId), Ct);
        var manager = await Invoker().InvokeAsync(Call("hook", tokenUserId: _aliceId) with { TokenUserManagesTriggers = true }, Ct);
        var itself = await Invoker().InvokeAsync(Call("hook", tokenUserId: hooksId), Ct);

        Assert.Equal((403, """{"errors":"This trigger runs as hooks: invoking it by name needs operable:manage_triggers; without it, invoke the trigger by its id."}"""),
            (refused.StatusCode, refused.Body!.ToJson()));
        Assert.Equal(new TriggerDenial("the trigger runs as hooks", "operable:manage_triggers"), refused.Denial);
        Assert.Equal((200, 200), (manager.StatusCode, itself.StatusCode));
        Assert.Equal(["hooks", "hooks"], _runner.Requests.Select(r => r.Caller.Username));
    }

    [Fact]
    public async Task A_cross_origin_request_is_refused_before_anything_else_unless_the_trigger_allows_it()
    {
        var closed = await TriggerAsync(enabled: false);
        var open = await TriggerAsync(name: "open", allowCrossOrigin: true);
        _runner.Answer = Outcome(PipelineStatus.Succeeded, items: new ObjectValue([]));

        var refused = await Invoker().InvokeAsync(Call(closed.Id) with { CrossOrigin = "Origin: http://evil.example", BodyUnreadable = true }, Ct);
        var allowed = await Invoker().InvokeAsync(Call(open.Id) with { CrossOrigin = "Origin: http://evil.example" }, Ct);

        Assert.Equal((403, $$"""{"errors":"{{TriggerErrors.CrossOriginRefused}}"}"""), (refused.StatusCode, refused.Body!.ToJson()));
        Assert.Equal(new TriggerDenial("a cross-origin request (Origin: http://evil.example)"), refused.Denial);
        Assert.Equal(200, allowed.StatusCode);
        Assert.Single(_runner.Requests);
    }

    [Fact]
    public async Task An_unreadable_body_is_answered_once_the_caller_is_admitted_and_runs_nothing()
    {
        var trigger = await TriggerAsync();

        var response = await Invoker().InvokeAsync(Call(trigger.Id) with { BodyUnreadable = true }, Ct);

        Assert.Same(TriggerResponse.BodyUnreadable, response);
        Assert.Empty(_runner.Requests);
    }

    [Fact]
    public async Task A_pipeline_without_output_terminated_early()
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(PipelineStatus.NoOutput, PipelineMessages.NoOutput);

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((200, """{"status":"success","pipeline_output":[],"message":"Terminated early"}"""), (response.StatusCode, response.Body!.ToJson()));
    }

    [Theory]
    [InlineData(PipelineStatus.ExecutionFailed)]
    [InlineData(PipelineStatus.PlanningFailed)]
    public async Task A_failure_answers_500_with_the_error_message(PipelineStatus status)
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(status, "Whoops");

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((500, """{"status":"error","pipeline_output":{"error_message":"Whoops"}}"""), (response.StatusCode, response.Body!.ToJson()));
    }

    [Fact]
    public async Task An_abort_answers_200_with_its_message()
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(PipelineStatus.Aborted, "Stopped on purpose");

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((200, """{"status":"aborted","pipeline_output":[],"message":"Stopped on purpose"}"""), (response.StatusCode, response.Body!.ToJson()));
    }

    [Theory]
    [InlineData("> chat://#ops", 204)]
    [InlineData("*> chat://#ops chat://@bob", 204)]
    [InlineData("*> chat://#ops here", 200)]
    [InlineData("> here", 200)]
    public async Task Output_only_for_chat_answers_204(string redirect, int status)
    {
        var trigger = await TriggerAsync();
        _runner.Answer = Outcome(PipelineStatus.Succeeded, redirect: redirect, items: new ObjectValue([]));

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(status == 204, response.Body is null);
    }

    [Theory]
    [InlineData("echo hi > #ops", "#ops")]
    [InlineData("echo hi *> me here @bob", "me, @bob")]
    public async Task Targets_an_http_request_cannot_reach_are_refused_before_anything_runs(string pipeline, string invalid)
    {
        var trigger = await TriggerAsync(pipeline);

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal($$$"""{"status":"error","pipeline_output":{"error_message":"No commands were executed because the following redirects are invalid: {{{invalid}}}"}}""",
            response.Body!.ToJson());
        Assert.Empty(_runner.Requests);
    }

    [Fact]
    public async Task An_alias_that_redirects_to_a_bare_room_is_reported_as_an_invalid_redirect()
    {
        var trigger = await TriggerAsync("my-alias");
        _runner.Answer = Outcome(PipelineStatus.Succeeded, redirect: "> #ops", items: new ObjectValue([]));

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(500, response.StatusCode);
        Assert.Contains("the following redirects are invalid: #ops", response.Body!.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_slower_than_the_timeout_less_the_buffer_answers_202_and_goes_on()
    {
        var trigger = await TriggerAsync(timeout: 5);
        var slow = new TaskCompletionSource<PipelineOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _runner.Pending = slow.Task;

        var answering = Invoker().InvokeAsync(Call(trigger.Id), Ct);
        for (var i = 0; i < 2000 && !answering.IsCompleted; i++)
        {
            _world.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5, Ct);
        }
        var response = await answering.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal($$"""{"status":"Request accepted and still processing after 5 seconds","id":"{{response.PipelineId}}"}""", response.Body!.ToJson());
        Assert.True(_world.Time.GetUtcNow() - StoreWorld.Start >= TimeSpan.FromSeconds(3));
        Assert.False(_runner.Tokens.Single().IsCancellationRequested);
        slow.SetResult(Outcome(PipelineStatus.Succeeded, items: new ObjectValue([])));
    }

    [Fact]
    public async Task A_buffer_larger_than_the_timeout_answers_202_at_once()
    {
        var trigger = await TriggerAsync(timeout: 1);
        _runner.Pending = new TaskCompletionSource<PipelineOutcome>().Task;

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(202, response.StatusCode);
        Assert.Contains("still processing after 1 seconds", response.Body!.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_invoker_stops_pipelines_that_outlived_their_request()
    {
        var trigger = await TriggerAsync(timeout: 1);
        _runner.Pending = new TaskCompletionSource<PipelineOutcome>().Task;
        var invoker = Invoker();
        await invoker.InvokeAsync(Call(trigger.Id), Ct);

        invoker.Dispose();

        Assert.True(_runner.Tokens.Single().IsCancellationRequested);
    }

    [Fact]
    public async Task Output_for_a_chat_room_is_delivered_through_the_default_chat_provider_and_answers_204()
    {
        var trigger = await TriggerAsync("echo hi > chat://#ops");

        var response = await Invoker(Engine()).InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((204, null), (response.StatusCode, response.Body));
        var sent = Assert.Single(_slack.Sent);
        Assert.Equal((_ops, "hi", (string?)null), (sent.Room, sent.Text, sent.ThreadId));
    }

    [Fact]
    public async Task Output_for_chat_and_here_goes_to_both()
    {
        var trigger = await TriggerAsync("echo hi *> chat://@bob slack://#ops here");

        var response = await Invoker(Engine()).InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal((200, """{"status":"success","pipeline_output":[{"body":["hi"]}]}"""), (response.StatusCode, response.Body!.ToJson()));
        Assert.Equal(["D-U-bob", _ops.Id], _slack.Sent.Select(s => s.Room.Id));
    }

    [Fact]
    public async Task Chat_me_is_the_trigger_users_own_handle_on_the_chat_provider()
    {
        var hooks = await _world.Store.Users.FindByUsernameAsync("hooks", Ct);
        (await _world.Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), hooks!.Id, "slack", "hooks", "U-hooks"), Ct)).GetValueOrThrow();
        var trigger = await TriggerAsync("echo hi > chat://me");

        var response = await Invoker(Engine()).InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(204, response.StatusCode);
        Assert.Equal("D-U-hooks", Assert.Single(_slack.Sent).Room.Id);
    }

    [Fact]
    public async Task Errors_are_not_sent_to_chat_destinations()
    {
        var trigger = await TriggerAsync("echo $missing > chat://#ops");

        var response = await Invoker(Engine()).InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(500, response.StatusCode);
        Assert.Empty(_slack.Sent);
    }

    [Theory]
    [InlineData("echo hi > chat://#nope", "chat://#nope")]
    [InlineData("echo hi *> chat://@ghost here", "chat://@ghost")]
    [InlineData("echo hi > irc://#ops", "irc://#ops\\nThese redirects name a chat provider that is not running: irc://#ops (running: slack)")]
    public async Task Chat_targets_the_provider_does_not_know_are_refused_before_anything_runs(string pipeline, string invalid)
    {
        var trigger = await TriggerAsync(pipeline);

        var response = await Invoker().InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal($$$"""{"status":"error","pipeline_output":{"error_message":"No commands were executed because the following redirects are invalid: {{{invalid}}}"}}""",
            response.Body!.ToJson());
        Assert.Empty(_runner.Requests);
        Assert.Empty(_slack.Sent);
    }

    [Fact]
    public async Task A_failed_chat_delivery_still_answers_the_request()
    {
        _slack.FailSendsTo = _ => true;
        var trigger = await TriggerAsync("echo hi *> chat://#ops here");

        var response = await Invoker(Engine()).InvokeAsync(Call(trigger.Id), Ct);

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(_slack.Sent);
    }

    /// <summary>Answers every run with <see cref="Answer"/>, or <see cref="Pending"/> when set; records requests.</summary>
    sealed class ScriptedRunner : IPipelineRunner
    {
        public List<PipelineRequest> Requests { get; } = [];

        public List<CancellationToken> Tokens { get; } = [];

        public PipelineOutcome? Answer { get; set; }

        public Task<PipelineOutcome>? Pending { get; set; }

        public Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Tokens.Add(cancellationToken);
            return Pending ?? AnswerAsync(request, Answer ?? throw new InvalidOperationException("No answer scripted."), cancellationToken);
        }

        /// <summary>Like the engine: the final redirect (here the scripted one, as if an alias brought it) is checked
        /// before anything runs.</summary>
        static async Task<PipelineOutcome> AnswerAsync(PipelineRequest request, PipelineOutcome answer, CancellationToken cancellationToken)
        {
            if (request.Destinations is { } destinations && await destinations.CheckAsync(answer.Redirect, cancellationToken) is { } invalid)
                return new PipelineOutcome(answer.PipelineId, PipelineStatus.PlanningFailed, [], null, invalid, null, null, null);
            return answer;
        }

        public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>The engine as the front door (what the real runner adds — history, <c>!!</c> — is not needed here).</summary>
    sealed class EngineRunner(PipelineEngine engine) : IPipelineRunner
    {
        public Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken) => engine.RunAsync(request, cancellationToken);

        public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
