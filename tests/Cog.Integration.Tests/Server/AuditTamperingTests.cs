using System.Text.Json;
using Cog.Runtime.Audit;
using Cog.Testing;
using Microsoft.Data.Sqlite;

namespace Cog.Integration.Tests.Server;

/// <summary>
/// The fourteen tampering forms (<see cref="AuditTampering"/>) against a whole running server on SQLite: ten records
/// appended through its audit writer, a checkpoint written by its checkpointer, the table tampered with directly in
/// the database, and <c>cogctl audit verify --json</c> asked. A fresh server and database per form. The same forms on
/// PostgreSQL, against the server process, are in the adversarial suite (<c>Faults/AuditTamperingTests</c>).
/// </summary>
public sealed class SqliteAuditTamperingTests
{
    public static TheoryData<string> Forms => new(AuditTampering.Forms.Select(f => f.Form));

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Every_tampering_form_is_reported_by_cogctl_audit_verify_with_its_kind_and_place(string form)
    {
        await using var env = await ServerEnvironment.StartAsync((options, _) =>
        {
            options.Dev.Bundles = null;
            options.Database.Provider = "sqlite";
        });
        var before = (await env.Server.Store.Audit.ReadHeadAsync(Ct))!.Sequence;
        await env.Server.AuditWriter.AppendAsync([.. Enumerable.Range(1, 10).Select(i =>
            new AuditEntry(DateTimeOffset.UnixEpoch.AddDays(20000).AddSeconds(i), "command_dispatched", "alice", "deployer:ship", "allowed", "{}"))], Ct);
        Assert.Equal(before + 10, (await env.Server.AuditCheckpointer.WriteAsync(Ct))!.Sequence);

        var tampering = new AuditTampering(env.Server.Store.Audit, sql => ExecuteSqlAsync(env, sql), before);
        await tampering.ApplyAsync(form);
        var verify = await env.CogctlAsync("audit", "verify", "--json");

        Assert.True(verify.Code == 1, verify.ToString());
        var first = JsonDocument.Parse(verify.Output).RootElement.GetProperty("findings")[0];
        var (kind, sequence, last) = tampering.Expected(form);
        Assert.Equal((Cog.Api.Audit.AuditEndpoints.BreakName(kind), sequence, last),
            (first.GetProperty("kind").GetString(), first.GetProperty("sequence").GetInt64(), first.GetProperty("last_sequence").GetInt64()));
    }

    static async Task<int> ExecuteSqlAsync(ServerEnvironment env, string sql)
    {
        var path = Path.Combine(env.Server.Options.DataDirectory, "cog.db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(Ct);
    }
}
