using System.Text;
using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests.Relays;

/// <summary>Every way a payload can be wrong gives a clear error, never an exception; the texts are pinned.</summary>
public class ProtocolReadErrorTests
{
    const string AckFields = "\"request_id\":\"r-1\",\"relay_id\":\"web-7\",\"started_at\":\"2025-03-14T09:26:53Z\"";

    static ProtocolReadResult<T> Read<T>(string json, int limit = ProtocolSerializer.DefaultMaxPayloadBytes)
        where T : ProtocolMessage => ProtocolSerializer.TryDeserialize<T>(Encoding.UTF8.GetBytes(json), limit);

    static void AssertError<T>(ProtocolReadResult<T> read, ProtocolErrorKind kind, string error)
        where T : ProtocolMessage
    {
        Assert.False(read.IsSuccess);
        Assert.Null(read.Message);
        Assert.Equal(error, read.Error);
        Assert.Equal(kind, read.ErrorKind);
    }

    [Fact]
    public void An_empty_payload_is_reported()
    {
        AssertError(ProtocolSerializer.TryDeserialize<InvocationAck>([]), ProtocolErrorKind.Size, "The message is empty.");
    }

    [Fact]
    public void A_payload_over_the_limit_is_rejected_unread()
    {
        var json = "{\"v\":1,\"type\":\"ack\"," + AckFields + "}";

        AssertError(Read<InvocationAck>(json, 50), ProtocolErrorKind.Size, $"The message is {json.Length} bytes, more than the limit of 50 bytes.");
    }

    [Fact]
    public void A_huge_payload_is_rejected_by_the_default_limit()
    {
        var huge = new byte[ProtocolSerializer.DefaultMaxPayloadBytes + 1];

        AssertError(ProtocolSerializer.TryDeserialize<InvocationResult>(huge), ProtocolErrorKind.Size,
            "The message is 8388609 bytes, more than the limit of 8388608 bytes.");
    }

    [Fact]
    public void A_limit_that_is_not_positive_is_a_bug_in_the_caller()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProtocolSerializer.TryDeserialize<InvocationAck>("{}"u8, 0));
    }

    [Theory]
    [InlineData("{\"v\":1,", "The message is not valid JSON (line 1, byte 7): Expected start of a property name or value, but instead reached end of data.")]
    [InlineData("{\"v\":1}x", "The message is not valid JSON (line 1, byte 8): 'x' is invalid after a single JSON value. Expected end of data.")]
    [InlineData("{\n  \"v\": 1,\n  \"type\": ack\n}", "The message is not valid JSON (line 3, byte 11): 'a' is an invalid start of a value.")]
    [InlineData("{\"v\":1,\"v\":1}", "The message is not valid JSON: Duplicate property 'v' encountered during deserialization.")]
    [InlineData("{\"v\":1 /* comment */}", "The message is not valid JSON (line 1, byte 8): '/' is invalid after a value. Expected either ',', '}', or ']'.")]
    public void Malformed_json_is_reported_with_its_position(string json, string error)
    {
        AssertError(Read<InvocationAck>(json), ProtocolErrorKind.MalformedJson, error);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_offset()
    {
        byte[] payload = [.. "{\"v\":1,\"type\":\"ack\",\"request_id\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        AssertError(ProtocolSerializer.TryDeserialize<InvocationAck>(payload), ProtocolErrorKind.MalformedJson, "The message is not valid UTF-8 (byte 34).");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_reported()
    {
        var json = "{\"v\":1,\"type\":\"result\",\"items\":[{\"a\":" + new string('[', 100) + new string(']', 100) + "}]}";

        var read = Read<InvocationResult>(json);

        Assert.Equal(ProtocolErrorKind.MalformedJson, read.ErrorKind);
        Assert.StartsWith("The message is not valid JSON (line 1, byte ", read.Error, StringComparison.Ordinal);
        Assert.Contains("maximum configured depth of 64", read.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "The message must be a JSON object, not an array.")]
    [InlineData("\"ack\"", "The message must be a JSON object, not a string.")]
    [InlineData("1", "The message must be a JSON object, not a number.")]
    [InlineData("true", "The message must be a JSON object, not a boolean.")]
    [InlineData("null", "The message must be a JSON object, not null.")]
    public void A_payload_that_is_not_an_object_is_reported(string json, string error)
    {
        AssertError(Read<InvocationAck>(json), ProtocolErrorKind.MalformedJson, error);
    }

    [Fact]
    public void A_missing_version_is_reported_with_the_supported_versions()
    {
        AssertError(Read<InvocationAck>("{\"type\":\"ack\"," + AckFields + "}"), ProtocolErrorKind.UnsupportedVersion,
            "The message has no protocol version (field 'v'); supported versions: 1.");
    }

    [Theory]
    [InlineData("2", "The message is protocol version 2; supported versions: 1.")]
    [InlineData("0", "The message is protocol version 0; supported versions: 1.")]
    [InlineData("1.5", "The message is protocol version 1.5; supported versions: 1.")]
    [InlineData("\"1\"", "The message is protocol version \"1\"; supported versions: 1.")]
    [InlineData("null", "The message is protocol version null; supported versions: 1.")]
    public void An_unknown_version_is_reported_with_the_supported_versions(string version, string error)
    {
        AssertError(Read<InvocationAck>("{\"v\":" + version + ",\"type\":\"ack\"," + AckFields + "}"), ProtocolErrorKind.UnsupportedVersion, error);
    }

    [Fact]
    public void A_missing_type_is_reported_with_the_expected_type()
    {
        AssertError(Read<InvocationAck>("{\"v\":1," + AckFields + "}"), ProtocolErrorKind.WrongType,
            "The message has no type (field 'type'); expected 'ack'.");
    }

    [Theory]
    [InlineData("\"result\"", "The message is of type 'result', expected 'ack'.")]
    [InlineData("\"Ack\"", "The message is of type 'Ack', expected 'ack'.")]
    [InlineData("3", "The message is of type 3, expected 'ack'.")]
    public void Another_type_is_reported(string type, string error)
    {
        AssertError(Read<InvocationAck>("{\"v\":1,\"type\":" + type + "," + AckFields + "}"), ProtocolErrorKind.WrongType, error);
    }

    [Fact]
    public void A_result_read_as_an_ack_is_the_wrong_type()
    {
        var read = ProtocolSerializer.TryDeserialize<InvocationAck>(ProtocolSerializer.Serialize(Samples.Result));

        AssertError(read, ProtocolErrorKind.WrongType, "The message is of type 'result', expected 'ack'.");
    }

    [Fact]
    public void A_missing_required_field_is_named()
    {
        var read = Read<InvocationAck>("{\"v\":1,\"type\":\"ack\",\"request_id\":\"r-1\",\"relay_id\":\"web-7\"}");

        AssertError(read, ProtocolErrorKind.InvalidMessage, "The 'ack' message is missing the required field $.started_at.");
    }

    [Fact]
    public void A_missing_field_of_a_nested_object_is_named_with_its_path()
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Invocation)).Replace("\"username\":\"alice\",", "", StringComparison.Ordinal);

        AssertError(Read<InvocationRequest>(json), ProtocolErrorKind.InvalidMessage, "The 'invocation' message is missing the required field $.caller.username.");
    }

    [Fact]
    public void A_missing_field_of_an_array_element_is_named_with_its_index()
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Assignments)).Replace("\"package_size\":2210", "\"extra\":1", StringComparison.Ordinal);

        AssertError(Read<BundleAssignments>(json), ProtocolErrorKind.InvalidMessage, "The 'assignments' message is missing the required field $.bundles[1].package_size.");
    }

    [Theory]
    [InlineData("\"started_at\":5", "The 'ack' message is invalid at $.started_at: expected a timestamp (RFC 3339), not 5.")]
    [InlineData("\"started_at\":\"yesterday\"", "The 'ack' message is invalid at $.started_at: expected a timestamp (RFC 3339), not \"yesterday\".")]
    [InlineData("\"started_at\":null", "The 'ack' message is invalid at $.started_at: must not be null.")]
    [InlineData("\"started_at\":{}", "The 'ack' message is invalid at $.started_at: expected a timestamp (RFC 3339), not an object.")]
    public void A_field_of_the_wrong_json_type_is_reported_at_its_path(string startedAt, string error)
    {
        var read = Read<InvocationAck>("{\"v\":1,\"type\":\"ack\",\"request_id\":\"r-1\",\"relay_id\":\"web-7\"," + startedAt + "}");

        AssertError(read, ProtocolErrorKind.InvalidMessage, error);
    }

    [Fact]
    public void Null_in_a_field_that_does_not_allow_it_is_reported()
    {
        var read = Read<InvocationAck>("{\"v\":1,\"type\":\"ack\",\"request_id\":null,\"relay_id\":\"web-7\",\"started_at\":\"2025-03-14T09:26:53Z\"}");

        AssertError(read, ProtocolErrorKind.InvalidMessage,
            "The 'ack' message is invalid at $.request_id: must not be null.");
    }

    [Theory]
    [InlineData("\"ok\"", null)]
    [InlineData("\"okay\"", "The 'result' message is invalid at $.status: expected one of 'ok', 'abort', 'error', not \"okay\".")]
    [InlineData("\"OK\"", "The 'result' message is invalid at $.status: expected one of 'ok', 'abort', 'error', not \"OK\".")]
    [InlineData("0", "The 'result' message is invalid at $.status: expected one of 'ok', 'abort', 'error', not 0.")]
    public void Enum_fields_accept_their_wire_names_only(string status, string? error)
    {
        var read = Read<InvocationResult>("{\"v\":1,\"type\":\"result\",\"request_id\":\"r-1\",\"relay_id\":\"web-7\",\"status\":" + status + ",\"items\":[],\"duration_ms\":1}");

        if (error is null)
            Assert.True(read.IsSuccess, read.Error);
        else
            AssertError(read, ProtocolErrorKind.InvalidMessage, error);
    }

    [Theory]
    [InlineData("Web-7")]
    [InlineData("web/7")]
    [InlineData("web+")]
    [InlineData("#")]
    [InlineData("")]
    public void An_invalid_relay_id_in_a_message_is_reported(string relayId)
    {
        var read = Read<InvocationAck>("{\"v\":1,\"type\":\"ack\",\"request_id\":\"r-1\",\"relay_id\":\"" + relayId + "\",\"started_at\":\"2025-03-14T09:26:53Z\"}");

        AssertError(read, ProtocolErrorKind.InvalidMessage,
            $"The 'ack' message is invalid at $.relay_id: '{relayId}' is not a valid relay id (1 to 64 characters from a-z, 0-9 and '-').");
    }

    [Theory]
    [InlineData("sha256:3F9A1C0D5E7B2A4869C1D0E2F3A4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A2")]
    [InlineData("sha256:3f9a")]
    [InlineData("md5:3f9a1c0d5e7b2a4869c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2")]
    [InlineData("3f9a1c0d5e7b2a4869c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2")]
    public void A_malformed_digest_is_reported(string digest)
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Announcement)).Replace(Samples.DeployDigest, digest, StringComparison.Ordinal);

        AssertError(Read<BundleAnnouncement>(json), ProtocolErrorKind.InvalidMessage,
            "The 'announce' message is invalid at $.bundles[0].digest: expected 'sha256:' followed by 64 lowercase hexadecimal digits.");
    }

    [Theory]
    [InlineData("\"items\":[]", "\"items\":[1]", "The 'result' message is invalid at $.items[0]: must be a JSON object.")]
    [InlineData("\"items\":[]", "\"items\":[{},[]]", "The 'result' message is invalid at $.items[1]: must be a JSON object.")]
    [InlineData("\"items\":[]", "\"items\":{}", "The 'result' message is invalid at $.items: expected an array, not an object.")]
    [InlineData("\"duration_ms\":1", "\"duration_ms\":-1", "The 'result' message is invalid at $.duration_ms: must be at least 0.")]
    [InlineData("\"duration_ms\":1", "\"duration_ms\":1.5", "The 'result' message is invalid at $.duration_ms: expected an integer, not 1.5.")]
    [InlineData("\"duration_ms\":1", "\"duration_ms\":\"1\"", "The 'result' message is invalid at $.duration_ms: expected an integer, not \"1\".")]
    [InlineData("\"request_id\":\"r-1\"", "\"request_id\":\"\"", "The 'result' message is invalid at $.request_id: must not be empty.")]
    [InlineData("\"request_id\":\"r-1\"", "\"request_id\":7", "The 'result' message is invalid at $.request_id: expected a string, not 7.")]
    public void Values_the_protocol_forbids_are_reported_at_their_path(string field, string replacement, string error)
    {
        var json = "{\"v\":1,\"type\":\"result\",\"request_id\":\"r-1\",\"relay_id\":\"web-7\",\"status\":\"ok\",\"duration_ms\":1,\"items\":[]}";
        var read = Read<InvocationResult>(json.Replace(field, replacement, StringComparison.Ordinal));

        AssertError(read, ProtocolErrorKind.InvalidMessage, error);
    }

    [Theory]
    [InlineData("\"input\":{}", "\"input\":[]", "The 'invocation' message is invalid at $.input: must be a JSON object.")]
    [InlineData("\"timeout_ms\":60000", "\"timeout_ms\":0", "The 'invocation' message is invalid at $.timeout_ms: must be at least 1.")]
    [InlineData("\"root\":\"https://cog.example.com:4002\"", "\"root\":\"file:///etc/passwd\"", "The 'invocation' message is invalid at $.services.root: must be an absolute http or https URL.")]
    [InlineData("\"stage\":0", "\"stage\":-1", "The 'invocation' message is invalid at $.stage: must be at least 0.")]
    [InlineData("\"step\":\"last\"", "\"step\":\"\"", "The 'invocation' message is invalid at $.step: expected one of 'first', 'middle', 'last', not \"\".")]
    [InlineData("\"deadline\":\"2025-03-14T09:28:00.589+00:00\"", "\"deadline\":\"2025-03-14T09:26:58.588+00:00\"", "The 'invocation' message is invalid at $.deadline: must not be earlier than ack_by.")]
    [InlineData("\"is_direct\":false", "\"is_direct\":\"no\"", "The 'invocation' message is invalid at $.room.is_direct: expected true or false, not \"no\".")]
    [InlineData("\"DEPLOY_REGION\":\"eu-west-1\"", "\"DEPLOY_REGION\":1", "The 'invocation' message is invalid at $.configuration.DEPLOY_REGION: expected a string, not 1.")]
    [InlineData("\"options\":{", "\"options\":{\"n\":null,", null)]
    [InlineData("\"email\":\"alice@example.com\"", "\"email\":null", null)]
    public void Invalid_invocation_fields_are_reported(string field, string replacement, string? error)
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Invocation)).Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(json, Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Invocation)));

        var read = Read<InvocationRequest>(json);

        if (error is null)
            Assert.True(read.IsSuccess, read.Error);
        else
            AssertError(read, ProtocolErrorKind.InvalidMessage, error);
    }

    [Theory]
    [InlineData("\"manifest_version\":6", "\"manifest_version\":7", "The 'assignments' message is invalid at $.bundles[0].manifest_version: must be 4, 5 or 6.")]
    [InlineData("\"package_format\":\"archive\"", "\"package_format\":\"tarball\"", "The 'assignments' message is invalid at $.bundles[0].package_format: expected one of 'archive', 'manifest', not \"tarball\".")]
    [InlineData("\"package_url\":\"https://cog.example.com/v1/relays/9b2f6c1e-4a8d-4c3b-9f61-2d0e5a7c8b14/packages/deploy/1.4.0\"", "\"package_url\":\"/packages/deploy\"", "The 'assignments' message is invalid at $.bundles[0].package_url: must be an absolute http or https URL.")]
    [InlineData("\"package_size\":18432", "\"package_size\":0", "The 'assignments' message is invalid at $.bundles[0].package_size: must be at least 1.")]
    [InlineData("\"revision\":42", "\"revision\":-3", "The 'assignments' message is invalid at $.revision: must be at least 0.")]
    public void Invalid_assignment_fields_are_reported(string field, string replacement, string error)
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Assignments)).Replace(field, replacement, StringComparison.Ordinal);

        AssertError(Read<BundleAssignments>(json), ProtocolErrorKind.InvalidMessage, error);
    }

    [Theory]
    [InlineData("\"capacity\":16", "\"capacity\":0", "The 'status' message is invalid at $.capacity: must be at least 1.")]
    [InlineData("\"load\":3", "\"load\":-1", "The 'status' message is invalid at $.load: must be at least 0.")]
    [InlineData("\"prod\",", "null,", "The 'status' message is invalid at $.tags[0]: must not be null.")]
    [InlineData("\"state\":\"online\"", "\"state\":\"busy\"", "The 'status' message is invalid at $.state: expected one of 'online', 'offline', not \"busy\".")]
    [InlineData("\"name\":\"cgroup-v2\"", "\"name\":\"\"", "The 'status' message is invalid at $.isolation[1].name: must not be empty.")]
    [InlineData("{\"name\":\"bubblewrap\"", "null,{\"name\":\"bubblewrap\"", "The 'status' message is invalid at $.isolation[0]: must not be null.")]
    public void Invalid_status_fields_are_reported(string field, string replacement, string error)
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Status)).Replace(field, replacement, StringComparison.Ordinal);

        AssertError(Read<RelayStatus>(json), ProtocolErrorKind.InvalidMessage, error);
    }

    [Fact]
    public void A_status_without_isolation_from_an_older_relay_reads()
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Status with { Isolation = null }));

        var read = Read<RelayStatus>(json);

        Assert.DoesNotContain("isolation", json, StringComparison.Ordinal);
        Assert.Null(Assert.IsType<RelayStatus>(read.Message).Isolation);
    }

    [Fact]
    public void A_sequence_below_one_is_reported()
    {
        var json = Encoding.UTF8.GetString(ProtocolSerializer.Serialize(Samples.Announcement)).Replace("\"sequence\":7", "\"sequence\":0", StringComparison.Ordinal);

        AssertError(Read<BundleAnnouncement>(json), ProtocolErrorKind.InvalidMessage, "The 'announce' message is invalid at $.sequence: must be at least 1.");
    }
}
