using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests.Relays;

/// <summary>One realistic example of every message: the examples of docs/protocol.md and the golden files.</summary>
static class Samples
{
    public const string RelayId = "9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14";
    public const string InstanceId = "5f0c7a2e9d3b4e18";
    public const string DeployDigest = "sha256:3f9a1c0d5e7b2a4869c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2";
    public const string Ec2Digest = "sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f";

    static readonly DateTimeOffset Sent = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static RelayStatus Status { get; } = new(RelayId, InstanceId, RelayState.Online, "1.0.0", ["prod", "eu-west"], 16, 3,
    [
        new RelayIsolationMechanism("bubblewrap", true, "/usr/bin/bwrap: a private mount namespace"),
        new RelayIsolationMechanism("cgroup-v2", false, "not used: the host has no cgroup v2 hierarchy at /sys/fs/cgroup"),
    ]);

    public static BundleAnnouncement Announcement { get; } = new(
        RelayId,
        InstanceId,
        7,
        [new AnnouncedBundle("deploy", "1.4.0", DeployDigest)],
        [new BundleFailure("ec2", "0.5.0", "The package's digest does not match its assignment.")]);

    public static BundleAssignments Assignments { get; } = new(
        RelayId,
        42,
        [
            new BundleAssignment("deploy", "1.4.0", DeployDigest, 6, PackageFormat.Archive,
                new Uri($"https://cog.example.com/v1/relays/{RelayId}/packages/deploy/1.4.0"), 18432),
            new BundleAssignment("ec2", "0.5.0", Ec2Digest, 5, PackageFormat.Manifest,
                new Uri($"https://cog.example.com/v1/relays/{RelayId}/packages/ec2/0.5.0"), 2210),
        ]);

    public static InvocationRequest Invocation { get; } = new(
        RequestId: "0b8e5c7a-3d2f-4f6e-9a1b-7c4d2e8f6a10",
        InvocationId: "e3b4a1f2-6c7d-4e8f-9a0b-1c2d3e4f5a6b",
        PipelineId: "4f1d2c3b-5a6e-4b7c-8d9e-0f1a2b3c4d5e",
        Stage: 0,
        Bundle: "deploy",
        Version: "1.4.0",
        Command: "release",
        Args: [Json("\"web-7\""), Json("3")],
        Options: ImmutableSortedDictionary.CreateRange(new Dictionary<string, JsonElement>
        {
            ["dry-run"] = Json("true"),
            ["env"] = Json("\"prod\""),
        }),
        Input: Json("{}"),
        Step: ItemStep.Last,
        Caller: new InvocationCaller("alice", "alice.w", "alice@example.com"),
        Room: new InvocationRoom("ops", false),
        Configuration: ImmutableSortedDictionary.CreateRange(new Dictionary<string, string>
        {
            ["DEPLOY_REGION"] = "eu-west-1",
        }),
        AckBy: Sent.AddSeconds(5),
        Deadline: Sent.AddSeconds(67),
        TimeoutMs: 60000,
        Services: new PipelineServices(new Uri("https://cog.example.com:4002"), "b3f1d2c4e5a6978812ab"));

    public static InvocationCancel Cancel { get; } = new("0b8e5c7a-3d2f-4f6e-9a1b-7c4d2e8f6a10", RelayId, "pipeline killed by alice");

    public static InvocationReceipt Receipt { get; } = new("0b8e5c7a-3d2f-4f6e-9a1b-7c4d2e8f6a10", RelayId);

    public static InvocationAck Ack { get; } = new("0b8e5c7a-3d2f-4f6e-9a1b-7c4d2e8f6a10", RelayId, Sent.AddMilliseconds(140));

    public static InvocationResult Result { get; } = new(
        "0b8e5c7a-3d2f-4f6e-9a1b-7c4d2e8f6a10",
        RelayId,
        ResultStatus.Ok,
        [Json("""{"host":"web-7","release":"1.4.0","status":"deployed"}""")],
        1834,
        Template: "deploy_summary");

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
