namespace Cog.Contracts.Relays;

/// <summary>The <c>type</c> of each message on the wire.</summary>
static class MessageTypes
{
    public const string Status = "status";
    public const string Announce = "announce";
    public const string Assignments = "assignments";
    public const string Invocation = "invocation";
    public const string Ack = "ack";
    public const string Result = "result";
    public const string Cancel = "cancel";
    public const string Receipt = "receipt";
}
