using System.Text;
using Cog.Contracts.Relays;
using FsCheck;
using FsCheck.Xunit;

namespace Cog.Contracts.Tests.Relays;

/// <summary>Whatever arrives on a topic, reading it never throws (bad input never crashes anything).</summary>
public class ProtocolRobustnessTests
{
    /// <summary>Reads the payload as every message type; an exception fails the test.</summary>
    static int CountSuccesses(ReadOnlySpan<byte> payload)
    {
        var successes = 0;
        successes += Check(ProtocolSerializer.TryDeserialize<RelayStatus>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<BundleAnnouncement>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<BundleAssignments>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<InvocationRequest>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<InvocationAck>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<InvocationResult>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<InvocationCancel>(payload));
        successes += Check(ProtocolSerializer.TryDeserialize<InvocationReceipt>(payload));
        return successes;
    }

    static int Check<T>(ProtocolReadResult<T> read)
        where T : ProtocolMessage
    {
        if (read.IsSuccess)
        {
            Assert.Null(read.Error);
            ProtocolSerializer.Serialize(read.Message); // a message that was read can always be written again
            return 1;
        }
        Assert.False(string.IsNullOrWhiteSpace(read.Error));
        return 0;
    }

    static byte[] Golden(string name) => GoldenFiles.Compact(GoldenFiles.Read(name));

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20250314);
        for (var i = 0; i < 3000; i++)
        {
            var payload = new byte[random.Next(0, 300)];
            random.NextBytes(payload);
            Assert.Equal(0, CountSuccesses(payload));
        }
    }

    [Theory]
    [MemberData(nameof(ProtocolSerializerTests.MessageNames), MemberType = typeof(ProtocolSerializerTests))]
    public void Every_truncation_of_a_valid_payload_is_an_error(string name)
    {
        var payload = Golden(name);
        for (var length = 0; length < payload.Length; length++)
            Assert.Equal(0, CountSuccesses(payload.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(ProtocolSerializerTests.MessageNames), MemberType = typeof(ProtocolSerializerTests))]
    public void Random_byte_changes_to_a_valid_payload_never_throw(string name)
    {
        var original = Golden(name);
        var random = new Random(name.Length * 7919);
        for (var i = 0; i < 1500; i++)
        {
            var payload = (byte[])original.Clone();
            for (var changes = random.Next(1, 4); changes > 0; changes--)
                payload[random.Next(payload.Length)] = (byte)random.Next(256);
            CountSuccesses(payload);
        }
    }

    [Theory]
    [MemberData(nameof(ProtocolSerializerTests.MessageNames), MemberType = typeof(ProtocolSerializerTests))]
    public void A_valid_payload_is_exactly_one_message_type(string name)
    {
        Assert.Equal(1, CountSuccesses(Golden(name)));
    }

    [Property(MaxTest = 500)]
    public bool Arbitrary_bytes_never_throw_and_are_never_a_message(byte[] payload) => CountSuccesses(payload ?? []) == 0;

    [Property(MaxTest = 500)]
    public bool Arbitrary_text_never_throws_and_is_never_a_message(NonNull<string> text) =>
        CountSuccesses(Encoding.UTF8.GetBytes(text.Get)) == 0;

    [Property(MaxTest = 300)]
    public bool Arbitrary_json_values_in_any_field_never_throw(int field, NonNull<string> text, int number)
    {
        var names = new[] { "request_id", "relay_id", "started_at", "status", "items", "duration_ms", "template", "message", "v", "type" };
        var values = new[] { Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(text.Get)), number.ToString(System.Globalization.CultureInfo.InvariantCulture), "null", "[]", "{}", "true" };
        var json = Encoding.UTF8.GetString(Golden("result"));
        var target = names[Math.Abs(field % names.Length)];
        var at = json.IndexOf($"\"{target}\":", StringComparison.Ordinal);
        if (at < 0)
            return true;
        var valueStart = at + target.Length + 3;
        var valueEnd = json.IndexOfAny([',', '}'], valueStart);
        var changed = json[..valueStart] + values[Math.Abs(number % values.Length)] + json[valueEnd..];
        return CountSuccesses(Encoding.UTF8.GetBytes(changed)) <= 1;
    }

    [Property(MaxTest = 300)]
    public bool Results_with_arbitrary_text_survive_a_round_trip(NonNull<string> message, NonNull<string> template)
    {
        if (HasLoneSurrogate(message.Get) || HasLoneSurrogate(template.Get))
            return true; // a lone surrogate cannot be written as UTF-8 JSON at all
        var result = new InvocationResult("r-1", "web-7", ResultStatus.Error, [], 5, template.Get, message.Get);

        var read = ProtocolSerializer.TryDeserialize<InvocationResult>(ProtocolSerializer.Serialize(result));

        return read.IsSuccess && read.Message.Message == message.Get && read.Message.Template == template.Get;
    }

    static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }
}
