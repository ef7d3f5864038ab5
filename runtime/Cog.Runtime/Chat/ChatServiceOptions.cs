namespace Cog.Runtime.Chat;

/// <summary>Settings of <see cref="ChatService"/> (the server reads them from <c>Cog:Chat</c>).</summary>
public sealed class ChatServiceOptions
{
    /// <summary>A message in a room that starts with this is a command (Cog 1.0's <c>COG_COMMAND_PREFIX</c>). Default
    /// <c>!</c>.</summary>
    public string CommandPrefix { get; set; } = "!";

    /// <summary>The text that repeats the sender's previous pipeline (Cog 1.0's <c>COG_PREVIOUS_COMMAND_TOKEN</c>); kept
    /// whole although it starts with the prefix. Default <c>!!</c>.</summary>
    public string PreviousCommandToken { get; set; } = "!!";

    /// <summary>Create a Cog user for an unknown chat user on their first command. Default off.</summary>
    public bool AllowSelfRegistration { get; set; }

    /// <summary>How long stopping waits for the pipelines of messages already received before it cancels them. Default
    /// 10 s.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
