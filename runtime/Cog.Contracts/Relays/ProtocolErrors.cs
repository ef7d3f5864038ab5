using System.Globalization;

namespace Cog.Contracts.Relays;

/// <summary>Every message the protocol reader reports; tests pin the text.</summary>
static class ProtocolErrors
{
    public const string Empty = "The message is empty.";

    public const string BadDigest = "expected 'sha256:' followed by 64 lowercase hexadecimal digits.";

    public const string MustBeObject = "must be a JSON object.";

    public const string MustNotBeEmpty = "must not be empty.";

    public const string MustNotBeNull = "must not be null.";

    public const string MustBeHttpUrl = "must be an absolute http or https URL.";

    public const string DeadlineBeforeAckBy = "must not be earlier than ack_by.";

    public const string ManifestVersion = "must be 4, 5 or 6.";

    public static string TooLarge(int size, int limit) =>
        Format($"The message is {size} bytes, more than the limit of {limit} bytes.");

    public static string MalformedJson(long line, long byteInLine, string detail) =>
        Format($"The message is not valid JSON (line {line}, byte {byteInLine}): {detail}");

    public static string MalformedJson(string detail) => $"The message is not valid JSON: {detail}";

    public static string Expected(string expected, string found) => $"expected {expected}, not {found}.";

    public static string Excerpt(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    public static string InvalidUtf8(int offset) => Format($"The message is not valid UTF-8 (byte {offset}).");

    public static string NotAnObject(string kind) => $"The message must be a JSON object, not {kind}.";

    public static string MissingVersion(string supported) =>
        $"The message has no protocol version (field 'v'); supported versions: {supported}.";

    public static string UnsupportedVersion(string found, string supported) =>
        $"The message is protocol version {found}; supported versions: {supported}.";

    public static string MissingType(string expected) => $"The message has no type (field 'type'); expected '{expected}'.";

    public static string WrongType(string found, string expected) => $"The message is of type {found}, expected '{expected}'.";

    public static string MissingField(string type, string path) => $"The '{type}' message is missing the required field {path}.";

    public static string InvalidField(string type, string path, string detail) => $"The '{type}' message is invalid at {path}: {detail}";

    public static string InvalidRelayId(string? relayId) =>
        $"'{relayId}' is not a valid relay id (1 to 64 characters from a-z, 0-9 and '-').";

    public static string AtLeast(long minimum) => Format($"must be at least {minimum}.");

    static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
