using Cog.Testing;
using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

/// <summary>The administration services over a real SQLite store (<see cref="StoreWorld"/>), with a real audit log
/// and a record of the directory notifications.</summary>
sealed class AdminWorld : IAsyncDisposable
{
    AdminWorld(StoreWorld world)
    {
        World = world;
        Writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default);
        var audit = new AdminAudit(Writer, world.Time);
        Changes = new CountingChanges(world.Directory);
        Bundles = new BundleAdministration(world.Store, world.Registry, audit);
        Rules = new RuleAdministration(world.Store, audit, Changes);
        Relays = new RelayAdministration(world.Store, world.Registry, audit, Changes, world.Time);
        RelayGroups = new RelayGroupAdministration(world.Store, world.Registry, audit, Changes, world.Time);
        Config = new ConfigAdministration(world.Store, audit, Changes, world.Time);
    }

    public static readonly AdminActor Alice = AdminActor.Chat("alice");

    public StoreWorld World { get; }

    public AuditWriter Writer { get; }

    public CountingChanges Changes { get; }

    public BundleAdministration Bundles { get; }

    public RuleAdministration Rules { get; }

    public RelayAdministration Relays { get; }

    public RelayGroupAdministration RelayGroups { get; }

    public ConfigAdministration Config { get; }

    public static CancellationToken Ct => StoreWorld.Ct;

    public static async Task<AdminWorld> OpenAsync() => new(await StoreWorld.OpenAsync());

    /// <summary>The audit records of administrative changes, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string? kind = null) =>
        await World.Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

    /// <summary>The details object of an audit record's payload.</summary>
    public static Dictionary<string, string?> Details(AuditRecord record)
    {
        using var payload = JsonDocument.Parse(record.PayloadJson);
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in payload.RootElement.GetProperty("details").EnumerateObject())
            details[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
        return details;
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await World.DisposeAsync();
    }

    /// <summary>Forwards to the cached directory and counts each kind of notification.</summary>
    public sealed class CountingChanges(IDirectoryChanges inner) : IDirectoryChanges
    {
        public int Catalog { get; private set; }

        public int Relays { get; private set; }

        public int Config { get; private set; }

        public void CatalogChanged()
        {
            Catalog++;
            inner.CatalogChanged();
        }

        public void UserAliasesChanged(string userId) => inner.UserAliasesChanged(userId);

        public void GrantsChanged() => inner.GrantsChanged();

        public void RelaysChanged()
        {
            Relays++;
            inner.RelaysChanged();
        }

        public void ConfigChanged()
        {
            Config++;
            inner.ConfigChanged();
        }
    }
}
