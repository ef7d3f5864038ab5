using System.Net;
using System.Text.Json;
using Cog.Runtime.Postgres;
using Cog.Runtime.Storage;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>The server process on PostgreSQL with an audit log whose head a signed checkpoint saw (written when the
/// server started), and a copy of its audit table to put back between tampering forms.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditedWorld : IAsyncLifetime
{
    FaultWorld? _world;
    IStore? _store;

    internal FaultWorld World => _world!;

    /// <summary>The store opened on the server's database, for the tampering's reads.</summary>
    internal IStore Store => _store!;

    /// <summary>The sequence the ten tampered records follow (the tenth is the checkpointed head).</summary>
    internal long BaseSequence { get; private set; }

    public async ValueTask InitializeAsync()
    {
        // Checkpoints at start and shutdown only, so none is written of a tampered log while the forms run.
        _world = await FaultWorld.StartAsync(new Dictionary<string, string> { ["Audit:CheckpointIntervalSeconds"] = "3600" });
        for (var i = 0; i < 4; i++)
            await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = $"echo record {i}" });
        // Started again, the server writes a checkpoint of the head it finds.
        await World.Server.KillAsync();
        await World.Server.StartAsync(TestContext.Current.CancellationToken);
        var checkpointed = JsonDocument.Parse(File.ReadLines(Path.Combine(World.DataDirectory, "audit-checkpoints.jsonl")).Last())
            .RootElement.GetProperty("sequence").GetInt64();
        var head = (await World.AuditAsync()).Records[^1].GetProperty("sequence").GetInt64();
        Assert.True(head == checkpointed && head > 10, $"the head {head} is not the last checkpoint's {checkpointed}");
        BaseSequence = head - 10;
        await World.ExecuteSqlAsync("CREATE TABLE audit_records_copy AS SELECT * FROM audit_records");
        _store = PostgresStore.Open(World.DatabaseConnectionString);
    }

    /// <summary>Puts the audit table back as it was before any form.</summary>
    internal Task RestoreAsync() =>
        World.ExecuteSqlAsync("DELETE FROM audit_records; INSERT INTO audit_records SELECT * FROM audit_records_copy");

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        if (_world is not null)
            await _world.DisposeAsync();
    }
}

/// <summary>The fourteen ways someone with full access to the database (but neither the audit key nor the checkpoint
/// files) can tamper with the audit log (<see cref="AuditTampering"/>), each applied with SQL to the log of the running
/// server process on PostgreSQL and reported by <c>GET /v1/audit/verify</c> with its kind and the records it
/// concerns.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditTamperingTests(AuditedWorld fixture) : IClassFixture<AuditedWorld>
{
    public static TheoryData<string> Forms => new(AuditTampering.Forms.Select(f => f.Form));

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Every_tampering_form_is_reported_by_audit_verify_with_its_kind_and_place(string form)
    {
        await fixture.RestoreAsync();
        var (status, intact) = await fixture.World.SendAsync(HttpMethod.Get, "/v1/audit/verify", null);
        Assert.True(status == HttpStatusCode.OK && intact.GetProperty("audit_verification").GetProperty("intact").GetBoolean(), intact.ToString());
        var tampering = new AuditTampering(fixture.Store.Audit, fixture.World.ExecuteSqlAsync, fixture.BaseSequence);

        await tampering.ApplyAsync(form);
        (status, var verification) = await fixture.World.SendAsync(HttpMethod.Get, "/v1/audit/verify", null);

        Assert.Equal(HttpStatusCode.OK, status);
        var first = verification.GetProperty("audit_verification").GetProperty("findings")[0];
        var (kind, sequence, last) = tampering.Expected(form);
        Assert.Equal((Cog.Api.Audit.AuditEndpoints.BreakName(kind), sequence, last),
            (first.GetProperty("kind").GetString(), first.GetProperty("sequence").GetInt64(), first.GetProperty("last_sequence").GetInt64()));
    }
}
