namespace Cog.Runtime.Identity;

/// <summary>The chat handle of the bootstrap administrator (<c>COG_BOOTSTRAP_CHAT_HANDLE</c>).</summary>
public sealed class BootstrapChatHandle
{
    /// <summary>The chat provider (<c>slack</c>, <c>web</c>).</summary>
    public string? Provider { get; set; }

    /// <summary>The handle on that provider.</summary>
    public string? Handle { get; set; }
}
