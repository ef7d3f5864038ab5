using System.Text.Json;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Dynamic configuration layers for the REST API and cogctl (<c>bundle config layers|info|create|delete</c>),
/// as in Cog 1.0: one <c>base</c> layer, <c>room/NAME</c> and <c>user/NAME</c> layers per bundle.</summary>
/// <remarks>
/// <para>Layer names are <c>base</c>, <c>room/NAME</c> or <c>user/NAME</c> (NAME without <c>/</c>), stored lower-case
/// (the merge compares them lower-case); <c>config</c> is accepted for <c>base</c> (Cog 1.0's stored name). A layer's
/// configuration is a JSON object; creating a layer that exists replaces it. Audit records name the layer, never its
/// values (configuration often holds credentials).</para>
/// <para>After each change: the audit record, then <see cref="IDirectoryChanges.ConfigChanged"/>. Thread-safe.</para>
/// </remarks>
public sealed class ConfigAdministration
{
    const string RoomPrefix = "room/";
    const string UserPrefix = "user/";

    readonly IStore _store;
    readonly AdminAudit _audit;
    readonly IDirectoryChanges _changes;
    readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public ConfigAdministration(IStore store, AdminAudit audit, IDirectoryChanges changes, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        (_store, _audit, _changes, _time) = (store, audit, changes, timeProvider);
    }

    /// <summary>The stored name of a layer (<c>base</c>, <c>room/name</c>, <c>user/name</c>, lower-case), or
    /// <see langword="null"/> when <paramref name="layer"/> is not a layer name.</summary>
    public static string? NormalizeLayer(string? layer)
    {
        if (layer is null)
            return null;
        var lower = layer.Trim().ToLowerInvariant();
        if (lower is ConfigLayer.Base or "config")
            return ConfigLayer.Base;
        foreach (var prefix in (ReadOnlySpan<string>)[RoomPrefix, UserPrefix])
        {
            if (lower.StartsWith(prefix, StringComparison.Ordinal) && lower.Length > prefix.Length && lower.IndexOf('/', prefix.Length) < 0)
                return lower;
        }
        return null;
    }

    /// <summary>A bundle's layers, by name. NotFound.</summary>
    public async Task<RegistryResult<IReadOnlyList<ConfigLayerDetails>>> ListAsync(string bundle, CancellationToken cancellationToken)
    {
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var layers = await _store.ConfigLayers.ListAsync(found.Value!.Id, cancellationToken).ConfigureAwait(false);
        var list = new List<ConfigLayerDetails>(layers.Count);
        foreach (var layer in layers)
            list.Add(new ConfigLayerDetails(found.Value.Name, layer));
        return list;
    }

    /// <summary>One layer (default <c>base</c>). Invalid: not a layer name; NotFound: no such bundle or layer.</summary>
    public async Task<RegistryResult<ConfigLayerDetails>> InfoAsync(string bundle, string? layer, CancellationToken cancellationToken)
    {
        var found = await FindAsync(bundle, layer ?? ConfigLayer.Base, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var (foundBundle, name) = found.Value;
        var stored = await _store.ConfigLayers.GetAsync(foundBundle.Id, name, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? new RegistryError(RegistryErrorKind.NotFound, AdminMessages.LayerNotFound(name, foundBundle.Name))
            : new ConfigLayerDetails(foundBundle.Name, stored);
    }

    /// <summary>Creates or replaces a layer with <paramref name="configJson"/>, a JSON object. Invalid: not a layer
    /// name, not an object; NotFound: no such bundle.</summary>
    public async Task<RegistryResult<ConfigLayerDetails>> SetAsync(AdminActor actor, string bundle, string layer, string configJson,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        if (!IsObject(configJson))
            return new RegistryError(RegistryErrorKind.Invalid, AdminMessages.ConfigNotAMap) { Field = "config" };
        var found = await FindAsync(bundle, layer, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        var (foundBundle, name) = found.Value;
        var stored = await _store.ConfigLayers.SetAsync(new ConfigLayer(foundBundle.Id, name, configJson, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
            return RegistryError.FromStore(stored.Error);
        await RecordAsync(actor, AdminAuditKinds.ConfigLayerSet, foundBundle.Name, name, cancellationToken).ConfigureAwait(false);
        _changes.ConfigChanged();
        return new ConfigLayerDetails(foundBundle.Name, stored.Value!);
    }

    /// <summary>Deletes a layer (default <c>base</c>). Invalid: not a layer name; NotFound: no such bundle or layer.</summary>
    /// <returns>The layer as it was.</returns>
    public async Task<RegistryResult<ConfigLayerDetails>> DeleteAsync(AdminActor actor, string bundle, string? layer, CancellationToken cancellationToken)
    {
        var existing = await InfoAsync(bundle, layer, cancellationToken).ConfigureAwait(false);
        if (!existing.IsSuccess)
            return existing;
        var details = existing.Value!;
        var deleted = await _store.ConfigLayers.DeleteAsync(details.Layer.BundleId, details.Layer.Layer, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return new RegistryError(RegistryErrorKind.NotFound, AdminMessages.LayerNotFound(details.Layer.Layer, details.BundleName));
        await RecordAsync(actor, AdminAuditKinds.ConfigLayerDeleted, details.BundleName, details.Layer.Layer, cancellationToken).ConfigureAwait(false);
        _changes.ConfigChanged();
        return details;
    }

    async Task<RegistryResult<(Bundle Bundle, string Layer)>> FindAsync(string bundle, string layer, CancellationToken cancellationToken)
    {
        var name = NormalizeLayer(layer);
        if (name is null)
            return new RegistryError(RegistryErrorKind.Invalid, AdminMessages.InvalidLayer) { Field = "layer" };
        var found = await FindBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
            return found.Error;
        return (found.Value!, name);
    }

    async Task<RegistryResult<Bundle>> FindBundleAsync(string bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false)
            ?? await _store.Bundles.GetAsync(bundle, cancellationToken).ConfigureAwait(false);
        return found is null ? new RegistryError(RegistryErrorKind.NotFound, BundleRegistryErrors.BundleNotFound(bundle)) : found;
    }

    static bool IsObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    Task RecordAsync(AdminActor actor, string kind, string bundle, string layer, CancellationToken cancellationToken) =>
        _audit.RecordAsync(actor.Username, actor.Origin, kind, $"config:{bundle}/{layer}",
            new Dictionary<string, string?> { ["bundle"] = bundle, ["layer"] = layer }, cancellationToken);
}
