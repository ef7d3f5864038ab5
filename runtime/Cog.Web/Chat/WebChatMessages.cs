namespace Cog.Web.Chat;

/// <summary>Every text the web chat says to a browser (docs/web-console.md), pinned by tests.</summary>
public static class WebChatMessages
{
    /// <summary>The first frame was not an authentication frame.</summary>
    public const string AuthenticationRequired = "The first frame must be {\"type\":\"auth\",\"token\":\"…\"}.";

    /// <summary>The token is unknown, or its user is deactivated.</summary>
    public const string InvalidToken = "The token is not valid: sign in again.";

    /// <summary>The token has expired (the REST API's text).</summary>
    public const string TokenExpired = "token expired";

    /// <summary>Another Cog user holds the person's web chat handle (an administrator set it so).</summary>
    public const string HandleHeldByAnother = "Another Cog user holds your web chat handle: ask an administrator to correct the chat handles.";

    /// <summary>No authentication frame in time.</summary>
    public const string AuthenticationTimedOut = "No authentication frame arrived in time.";

    /// <summary>A frame that is not a JSON object with a string <c>type</c>.</summary>
    public const string NotAFrame = "A frame must be a JSON object with a string \"type\".";

    /// <summary>A send frame without text.</summary>
    public const string EmptyMessage = "A message needs some text.";

    /// <summary>Cog is not reading the web chat (the provider is not started).</summary>
    public const string NotListening = "Cog is not listening to the web chat right now.";

    /// <summary>The connection could not keep up and was closed.</summary>
    public const string TooSlow = "Too many messages were waiting for this connection: it was closed.";

    /// <summary>The message could not be stored (the store is unreachable): nothing was shown or run.</summary>
    public const string NotStored = "Cog could not record your message, so it did not run: try again in a moment.";

    /// <summary>The server is stopping.</summary>
    public const string Stopping = "Cog is stopping.";

    /// <summary>A frame of an unknown type.</summary>
    public static string UnknownFrame(string type) => $"Unknown frame type '{type}'.";

    /// <summary>A room the person cannot write in.</summary>
    public static string UnknownRoom(string room) => $"There is no room '{room}' here.";

    /// <summary>A message over the length limit.</summary>
    public static string TooLong(int limit) => $"A message may have at most {limit} characters.";
}
