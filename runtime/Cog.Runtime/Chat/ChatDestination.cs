namespace Cog.Runtime.Chat;

/// <summary>One resolved place a reply goes to.</summary>
/// <param name="Provider">The provider that delivers it.</param>
/// <param name="Room">The room (or direct conversation).</param>
/// <param name="ThreadId">The thread, for the origin only (a reply to a threaded command stays in the thread).</param>
/// <param name="Target">The redirect target as written (<c>here</c> for the origin), for messages about it.</param>
public sealed record ChatDestination(IChatProvider Provider, ChatRoom Room, string? ThreadId, string Target)
{
    /// <summary>The target text of the origin.</summary>
    public const string Here = "here";

    /// <summary>Whether two destinations are the same room on the same provider.</summary>
    public bool SameRoomAs(ChatDestination other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Provider.Name, other.Provider.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Room.Id, other.Room.Id, StringComparison.Ordinal);
    }
}

/// <summary>What <see cref="ChatDestinations.DeliverAsync"/> did.</summary>
/// <param name="Delivered">The targets that received the reply.</param>
/// <param name="Failed">The targets that could not be reached.</param>
public sealed record DeliveryReport(IReadOnlyList<string> Delivered, IReadOnlyList<string> Failed)
{
    /// <summary>Nothing was sent.</summary>
    public static DeliveryReport None { get; } = new([], []);
}
