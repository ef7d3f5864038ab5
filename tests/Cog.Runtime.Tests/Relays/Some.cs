using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

/// <summary>Builders of protocol messages and dispatch requests for the relay tests.</summary>
public static class Some
{
    public const string Digest = "sha256:3f9a1c0d5e7b2a4869c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2";
    public const string OtherDigest = "sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f";

    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static RelayStatus Online(string relayId, string instance = "i1", int load = 0, int capacity = 4, params string[] tags) =>
        new(relayId, instance, RelayState.Online, "1.0.0", [.. tags], capacity, load);

    public static RelayStatus Offline(string relayId, string instance = "i1") =>
        new(relayId, instance, RelayState.Offline, "1.0.0", [], 4, 0);

    public static BundleAnnouncement Announce(string relayId, string instance = "i1", long sequence = 1,
        string bundle = "deploy", string version = "1.4.0", string digest = Digest) =>
        new(relayId, instance, sequence, [new AnnouncedBundle(bundle, version, digest)], []);

    public static DispatchRequest Request(string bundle = "deploy", string version = "1.4.0", string digest = Digest,
        TimeSpan? timeout = null) =>
        new(bundle, version, digest, "release",
            [JsonDocument.Parse("\"web-7\"").RootElement.Clone()],
            ImmutableSortedDictionary<string, JsonElement>.Empty.Add("env", JsonDocument.Parse("\"prod\"").RootElement.Clone()),
            EmptyObject, ItemStep.Last, new InvocationCaller("alice", "alice.w", "alice@example.com"),
            new InvocationRoom("ops", false), ImmutableSortedDictionary<string, string>.Empty.Add("REGION", "eu-west-1"),
            "inv-1", "pipe-1", 0, timeout ?? TimeSpan.FromSeconds(60));

    public static InvocationAck Ack(string relayId, InvocationRequest request, DateTimeOffset at) =>
        new(request.RequestId, relayId, at);

    public static InvocationResult Result(string relayId, InvocationRequest request, string text = "done") =>
        new(request.RequestId, relayId, ResultStatus.Ok, [JsonDocument.Parse($"{{\"text\":\"{text}\"}}").RootElement.Clone()], 12);
}
