using System.Collections.Immutable;
using System.Text.Json;

namespace Cog.Contracts.Relays;

/// <summary>The rules the JSON shape alone does not express: relay ids, digests, ranges, items being objects.</summary>
static class ProtocolValidator
{
    public static (string Path, string Detail)? Validate(ProtocolMessage message) => message switch
    {
        RelayStatus m => RelayId(m.RelayId, "$.relay_id")
            ?? Text(m.InstanceId, "$.instance_id")
            ?? Strings(m.Tags, "$.tags")
            ?? AtLeast(m.Capacity, 1, "$.capacity")
            ?? AtLeast(m.Load, 0, "$.load")
            ?? Isolation(m.Isolation),
        BundleAnnouncement m => RelayId(m.RelayId, "$.relay_id")
            ?? Text(m.InstanceId, "$.instance_id")
            ?? AtLeast(m.Sequence, 1, "$.sequence")
            ?? Announced(m.Bundles)
            ?? NotNull(m.Failures, "$.failures"),
        BundleAssignments m => RelayId(m.RelayId, "$.relay_id")
            ?? AtLeast(m.Revision, 0, "$.revision")
            ?? Assigned(m.Bundles),
        InvocationRequest m => Text(m.RequestId, "$.request_id")
            ?? Text(m.InvocationId, "$.invocation_id")
            ?? Text(m.PipelineId, "$.pipeline_id")
            ?? AtLeast(m.Stage, 0, "$.stage")
            ?? Text(m.Bundle, "$.bundle")
            ?? Text(m.Version, "$.version")
            ?? Text(m.Command, "$.command")
            ?? Check(m.Input.ValueKind == JsonValueKind.Object, "$.input", ProtocolErrors.MustBeObject)
            ?? AtLeast(m.TimeoutMs, 1, "$.timeout_ms")
            ?? Check(m.Deadline >= m.AckBy, "$.deadline", ProtocolErrors.DeadlineBeforeAckBy)
            ?? Check(m.Services is null || IsHttpUrl(m.Services.Root), "$.services.root", ProtocolErrors.MustBeHttpUrl),
        InvocationAck m => Text(m.RequestId, "$.request_id") ?? RelayId(m.RelayId, "$.relay_id"),
        InvocationCancel m => Text(m.RequestId, "$.request_id") ?? RelayId(m.RelayId, "$.relay_id"),
        InvocationReceipt m => Text(m.RequestId, "$.request_id") ?? RelayId(m.RelayId, "$.relay_id"),
        InvocationResult m => Text(m.RequestId, "$.request_id")
            ?? RelayId(m.RelayId, "$.relay_id")
            ?? Objects(m.Items, "$.items")
            ?? AtLeast(m.DurationMs, 0, "$.duration_ms"),
        _ => null,
    };

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> followed by 64 lowercase hexadecimal digits.</summary>
    public static bool IsDigest(string digest)
    {
        const string Prefix = "sha256:";
        if (digest.Length != Prefix.Length + 64 || !digest.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        for (var i = Prefix.Length; i < digest.Length; i++)
        {
            if (digest[i] is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
                return false;
        }
        return true;
    }

    static (string, string)? Announced(ImmutableArray<AnnouncedBundle> bundles)
    {
        for (var i = 0; i < bundles.Length; i++)
        {
            var path = $"$.bundles[{i}]";
            if (bundles[i] is not { } bundle)
                return (path, ProtocolErrors.MustNotBeNull);
            var problem = Text(bundle.Name, path + ".name") ?? Text(bundle.Version, path + ".version") ?? Digest(bundle.Digest, path + ".digest");
            if (problem is not null)
                return problem;
        }
        return null;
    }

    static (string, string)? Assigned(ImmutableArray<BundleAssignment> bundles)
    {
        for (var i = 0; i < bundles.Length; i++)
        {
            var path = $"$.bundles[{i}]";
            if (bundles[i] is not { } bundle)
                return (path, ProtocolErrors.MustNotBeNull);
            var problem = Text(bundle.Name, path + ".name")
                ?? Text(bundle.Version, path + ".version")
                ?? Digest(bundle.Digest, path + ".digest")
                ?? Check(bundle.ManifestVersion is 4 or 5 or 6, path + ".manifest_version", ProtocolErrors.ManifestVersion)
                ?? Check(IsHttpUrl(bundle.PackageUrl), path + ".package_url", ProtocolErrors.MustBeHttpUrl)
                ?? AtLeast(bundle.PackageSize, 1, path + ".package_size");
            if (problem is not null)
                return problem;
        }
        return null;
    }

    static (string, string)? NotNull<T>(ImmutableArray<T> items, string path)
        where T : class
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
                return ($"{path}[{i}]", ProtocolErrors.MustNotBeNull);
        }
        return null;
    }

    static (string, string)? Isolation(ImmutableArray<RelayIsolationMechanism>? mechanisms)
    {
        if (mechanisms is not { } items)
            return null;
        if (NotNull(items, "$.isolation") is { } problem)
            return problem;
        for (var i = 0; i < items.Length; i++)
        {
            if ((Text(items[i].Name, $"$.isolation[{i}].name") ?? Text(items[i].Detail, $"$.isolation[{i}].detail")) is { } invalid)
                return invalid;
        }
        return null;
    }

    static (string, string)? Strings(ImmutableArray<string> items, string path)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (Text(items[i], $"{path}[{i}]") is { } problem)
                return problem;
        }
        return null;
    }

    static (string, string)? Objects(ImmutableArray<JsonElement> items, string path)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].ValueKind != JsonValueKind.Object)
                return ($"{path}[{i}]", ProtocolErrors.MustBeObject);
        }
        return null;
    }

    static (string, string)? RelayId(string relayId, string path) =>
        Topics.IsValidRelayId(relayId) ? null : (path, ProtocolErrors.InvalidRelayId(relayId));

    static (string, string)? Text(string? text, string path) =>
        text is null ? (path, ProtocolErrors.MustNotBeNull)
        : text.Length == 0 ? (path, ProtocolErrors.MustNotBeEmpty)
        : null;

    static (string, string)? Digest(string digest, string path) => IsDigest(digest) ? null : (path, ProtocolErrors.BadDigest);

    static (string, string)? AtLeast(long value, long minimum, string path) =>
        value >= minimum ? null : (path, ProtocolErrors.AtLeast(minimum));

    static (string, string)? Check(bool valid, string path, string detail) => valid ? null : (path, detail);

    static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
