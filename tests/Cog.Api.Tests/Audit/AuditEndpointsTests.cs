using Cog.Testing;
using System.Net;
using Cog.Runtime.Audit;
using Microsoft.Data.Sqlite;

namespace Cog.Api.Tests.Audit;

public sealed class AuditEndpointsTests : IAsyncLifetime
{
    static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    ApiWorld _world = null!;
    string _auditor = "";
    string _alice = "";

    static CancellationToken Ct => ApiWorld.Ct;

    public async ValueTask InitializeAsync()
    {
        _world = await ApiWorld.StartAsync();
        _auditor = (await _world.UserAsync("auditor", "operable:view_audit")).Token;
        _alice = (await _world.UserAsync("alice")).Token;
        await _world.Store.Audit.AppendAsync(
        [
            new AuditEntry(T0.AddTicks(1234560), "pipeline_initialized", "alice", null, null, """{"text":"echo hi"}"""),
            new AuditEntry(T0.AddMinutes(1), "command_dispatched", "alice", "operable:echo", "allowed", "{}"),
            new AuditEntry(T0.AddMinutes(2), "command_dispatched", "bob", "ops:deploy", "denied", "{}"),
            new AuditEntry(T0.AddMinutes(3), "trigger.created", "admin", "trigger:hook", "ok", """{"origin":"api","details":{}}"""),
        ], TestAuditKeys.Default, Ct);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<(HttpStatusCode Status, string Body)> Get(string path, string? token = null) =>
        await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, path, token ?? _auditor));

    async Task<long[]> Sequences(string query)
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/audit" + query, _auditor));
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("audit_records").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64())];
    }

    [Fact]
    public async Task Records_are_listed_in_order_with_their_fields()
    {
        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/audit?limit=1", _auditor));

        Assert.Equal(HttpStatusCode.OK, status);
        var record = Assert.Single(body.GetProperty("audit_records").EnumerateArray());
        Assert.Equal((1L, "2026-01-02T03:04:05.123456Z", "pipeline_initialized", "alice"),
            (record.GetProperty("sequence").GetInt64(), record.GetProperty("time").GetString(), record.GetProperty("kind").GetString(), record.GetProperty("actor").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, record.GetProperty("command").ValueKind);
        Assert.Equal("""{"text":"echo hi"}""", record.GetProperty("payload").GetRawText());
        Assert.Equal(64, record.GetProperty("hash").GetString()!.Length);
    }

    [Theory]
    [InlineData("", new long[] { 1, 2, 3, 4 })]
    [InlineData("?user=alice", new long[] { 1, 2 })]
    [InlineData("?command=ops:deploy", new long[] { 3 })]
    [InlineData("?outcome=allowed", new long[] { 2 })]
    [InlineData("?kind=command_dispatched", new long[] { 2, 3 })]
    [InlineData("?from=2026-01-02T03:05:05Z", new long[] { 2, 3, 4 })]
    [InlineData("?to=2026-01-02T04:06:05%2B01:00", new long[] { 1, 2 })]
    [InlineData("?from=2026-01-02T03:05&to=2026-01-02T03:07:04.999999", new long[] { 2, 3 })]
    [InlineData("?from=2026-01-03", new long[] { })]
    [InlineData("?after=2&limit=1", new long[] { 3 })]
    [InlineData("?order=newest&limit=2", new long[] { 4, 3 })]
    [InlineData("?order=newest&before=3", new long[] { 2, 1 })]
    [InlineData("?order=oldest&before=3", new long[] { 1, 2 })]
    public async Task Filters_narrow_the_list(string query, long[] expected)
    {
        Assert.Equal(expected, await Sequences(query));
    }

    [Fact]
    public async Task Bad_filters_are_422_naming_each()
    {
        var (status, body) = await Get("/v1/audit?from=yesterday&to=02/01/2026&after=-1&limit=1001");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("""{"errors":{"from":["must be an ISO-8601 time, e.g. 2026-05-01T12:00:00Z"],"to":["must be an ISO-8601 time, e.g. 2026-05-01T12:00:00Z"],"after":["must be a sequence number (0 or more)"],"limit":["must be a number from 1 to 1000"]}}""", body);
    }

    [Fact]
    public async Task A_bad_order_or_before_is_422_naming_it()
    {
        var (status, body) = await Get("/v1/audit?order=sideways&before=x");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("""{"errors":{"before":["must be a sequence number (0 or more)"],"order":["must be newest or oldest"]}}""", body);
    }

    [Fact]
    public async Task The_audit_log_needs_view_audit()
    {
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), await Get("/v1/audit", _alice));
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Not authorized."}"""), await Get("/v1/audit/verify", _alice));
        Assert.Equal((HttpStatusCode.Unauthorized, ""), await ApiWorld.ReadAsync(await _world.SendAsync(HttpMethod.Get, "/v1/audit")));
    }

    [Fact]
    public async Task An_intact_log_verifies()
    {
        Assert.Equal((HttpStatusCode.OK, """{"audit_verification":{"intact":true,"records":4,"checkpoints":0,"break":null,"findings":[],"findings_omitted":0}}"""), await Get("/v1/audit/verify"));
    }

    [Fact]
    public async Task A_row_altered_in_the_database_file_is_found()
    {
        await ExecuteAsync("UPDATE audit_records SET outcome = 'allowed' WHERE sequence = 3");

        const string Message = "Audit record 3 was altered: the content does not match the seal";
        const string Expected = $$$"""{"audit_verification":{"intact":false,"records":4,"checkpoints":0,"break":{"sequence":3,"kind":"altered","message":"{{{Message}}}"},"findings":[{"kind":"altered","sequence":3,"last_sequence":3,"message":"{{{Message}}}"}],"findings_omitted":0}}""";
        Assert.Equal((HttpStatusCode.OK, Expected), await Get("/v1/audit/verify"));
    }

    [Fact]
    public async Task A_row_deleted_from_the_database_file_is_found()
    {
        await ExecuteAsync("DELETE FROM audit_records WHERE sequence = 2");

        var (status, body) = await ApiWorld.ReadJsonAsync(await _world.SendAsync(HttpMethod.Get, "/v1/audit/verify", _auditor));

        Assert.Equal(HttpStatusCode.OK, status);
        var broken = body.GetProperty("audit_verification").GetProperty("break");
        Assert.Equal((2L, "deleted", "Audit record 2 is missing: the log goes on at record 3 (deleted)"),
            (broken.GetProperty("sequence").GetInt64(), broken.GetProperty("kind").GetString(), broken.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(AuditBreakKind.Missing, "deleted")]
    [InlineData(AuditBreakKind.OutOfOrder, "reordered")]
    [InlineData(AuditBreakKind.BrokenLink, "relinked")]
    [InlineData(AuditBreakKind.Altered, "altered")]
    [InlineData(AuditBreakKind.Forged, "forged")]
    [InlineData(AuditBreakKind.Renumbered, "renumbered")]
    [InlineData(AuditBreakKind.UnknownKey, "unknown_key")]
    [InlineData(AuditBreakKind.Truncated, "truncated")]
    [InlineData(AuditBreakKind.Emptied, "emptied")]
    [InlineData(AuditBreakKind.CheckpointMismatch, "checkpoint_mismatch")]
    [InlineData(AuditBreakKind.CheckpointInvalid, "checkpoint_invalid")]
    public void Break_kinds_have_api_names(AuditBreakKind kind, string name) => Assert.Equal(name, Cog.Api.Audit.AuditEndpoints.BreakName(kind));

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_world.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }
}
