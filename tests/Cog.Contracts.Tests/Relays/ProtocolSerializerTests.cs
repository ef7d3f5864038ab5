using System.Text;
using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests.Relays;

public class ProtocolSerializerTests
{
    public static TheoryData<string> MessageNames => ["status", "announce", "assignments", "invocation", "ack", "result", "cancel", "receipt"];

    static byte[] SerializeSample(string name) => name switch
    {
        "status" => ProtocolSerializer.Serialize(Samples.Status),
        "announce" => ProtocolSerializer.Serialize(Samples.Announcement),
        "assignments" => ProtocolSerializer.Serialize(Samples.Assignments),
        "invocation" => ProtocolSerializer.Serialize(Samples.Invocation),
        "ack" => ProtocolSerializer.Serialize(Samples.Ack),
        "result" => ProtocolSerializer.Serialize(Samples.Result),
        "cancel" => ProtocolSerializer.Serialize(Samples.Cancel),
        "receipt" => ProtocolSerializer.Serialize(Samples.Receipt),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Reads the payload as the message named, and writes it again.</summary>
    static byte[] Reserialize(string name, byte[] payload) => name switch
    {
        "status" => Reserialize<RelayStatus>(payload),
        "announce" => Reserialize<BundleAnnouncement>(payload),
        "assignments" => Reserialize<BundleAssignments>(payload),
        "invocation" => Reserialize<InvocationRequest>(payload),
        "ack" => Reserialize<InvocationAck>(payload),
        "result" => Reserialize<InvocationResult>(payload),
        "cancel" => Reserialize<InvocationCancel>(payload),
        "receipt" => Reserialize<InvocationReceipt>(payload),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    static byte[] Reserialize<T>(byte[] payload)
        where T : ProtocolMessage
    {
        var read = ProtocolSerializer.TryDeserialize<T>(payload);
        Assert.True(read.IsSuccess, read.Error);
        Assert.Equal(ProtocolSerializer.CurrentVersion, read.Message.ProtocolVersion);
        return ProtocolSerializer.Serialize(read.Message);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_message_survives_a_round_trip(string name)
    {
        var payload = SerializeSample(name);

        Assert.Equal(Encoding.UTF8.GetString(payload), Encoding.UTF8.GetString(Reserialize(name, payload)));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_message_is_written_exactly_as_its_golden_file(string name)
    {
        var golden = GoldenFiles.Compact(GoldenFiles.Read(name));

        Assert.Equal(Encoding.UTF8.GetString(golden), Encoding.UTF8.GetString(SerializeSample(name)));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_golden_file_reads_as_its_message(string name)
    {
        var golden = Encoding.UTF8.GetBytes(GoldenFiles.Read(name));

        Assert.Equal(Encoding.UTF8.GetString(SerializeSample(name)), Encoding.UTF8.GetString(Reserialize(name, golden)));
    }

    [Fact]
    public void Every_message_starts_with_version_and_type()
    {
        var text = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Ack));

        Assert.StartsWith("""{"v":1,"type":"ack",""", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fields_of_a_read_invocation_are_those_written()
    {
        var read = ProtocolSerializer.TryDeserialize<InvocationRequest>(ProtocolSerializer.Serialize(Samples.Invocation));

        Assert.True(read.IsSuccess, read.Error);
        var m = read.Message;
        Assert.Equal(Samples.Invocation.RequestId, m.RequestId);
        Assert.Equal(Samples.Invocation.Deadline, m.Deadline);
        Assert.Equal(Samples.Invocation.AckBy, m.AckBy);
        Assert.Equal(ItemStep.Last, m.Step);
        Assert.Equal(Samples.Invocation.Caller, m.Caller);
        Assert.Equal(Samples.Invocation.Room, m.Room);
        Assert.Equal(Samples.Invocation.Services, m.Services);
        Assert.Equal("web-7", m.Args[0].GetString());
        Assert.Equal(3, m.Args[1].GetInt32());
        Assert.True(m.Options["dry-run"].GetBoolean());
        Assert.Equal("eu-west-1", m.Configuration["DEPLOY_REGION"]);
    }

    [Fact]
    public void Records_without_collections_compare_by_value_after_a_round_trip()
    {
        var read = ProtocolSerializer.TryDeserialize<InvocationAck>(ProtocolSerializer.Serialize(Samples.Ack));

        Assert.Equal(Samples.Ack, read.Message);
    }

    [Fact]
    public void Optional_fields_are_omitted_when_absent_and_read_as_null()
    {
        var result = new InvocationResult("r-1", "web-7", ResultStatus.Error, [], 12, Message: "Command not found");
        var payload = ProtocolSerializer.Serialize(result);

        Assert.Equal("""{"v":1,"type":"result","request_id":"r-1","relay_id":"web-7","status":"error","items":[],"duration_ms":12,"message":"Command not found"}""",
            Encoding.UTF8.GetString(payload));
        Assert.Null(ProtocolSerializer.TryDeserialize<InvocationResult>(payload).Message!.Template);
    }

    [Fact]
    public void Non_ascii_text_and_apostrophes_are_written_as_themselves()
    {
        var result = new InvocationResult("r-1", "web-7", ResultStatus.Abort, [], 1, Message: "L'hôte n'a pas répondu <à temps>");

        Assert.Contains("\"message\":\"L'hôte n'a pas répondu <à temps>\"", Encoding.UTF8.GetString(ProtocolSerializer.Serialize(result)), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_ignored_so_a_newer_peer_may_add_fields()
    {
        var payload = """{"v":1,"type":"ack","request_id":"r-1","relay_id":"web-7","started_at":"2025-03-14T09:26:53Z","trace":{"id":[1,2]}}"""u8;

        var read = ProtocolSerializer.TryDeserialize<InvocationAck>(payload);

        Assert.True(read.IsSuccess, read.Error);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero), read.Message.StartedAt);
    }

    [Fact]
    public void Serializing_a_default_json_element_is_a_bug_in_the_caller()
    {
        var broken = Samples.Invocation with { Input = default };

        Assert.ThrowsAny<InvalidOperationException>(() => ProtocolSerializer.Serialize(broken));
    }
}
