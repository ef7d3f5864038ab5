using Cog.Language.Values;

namespace Cog.Runtime.Rendering;

/// <summary>How a person is given to a template so that it can mention them: an object
/// <c>{"provider": "slack", "id": "U024BE7LH", "handle": "alice"}</c>, written with the <c>mention</c> filter
/// (<c>{{ mention | mention }}</c>), which becomes a <see cref="MentionInline"/> in the reply (docs/templates.md).</summary>
/// <remarks>Pure; thread-safe.</remarks>
public static class MentionData
{
    /// <summary>The member holding the chat provider's name.</summary>
    public const string Provider = "provider";

    /// <summary>The member holding the person's id on that provider.</summary>
    public const string Id = "id";

    /// <summary>The member holding the person's handle (without <c>@</c>).</summary>
    public const string Handle = "handle";

    /// <summary>The mention object of a person.</summary>
    public static ObjectValue Create(string provider, string userId, string handle)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(handle);
        return new ObjectValue([new(Provider, new StringValue(provider)), new(Id, new StringValue(userId)), new(Handle, new StringValue(handle))]);
    }

    /// <summary>The mention <paramref name="value"/> describes, or <see langword="null"/>: an object with a text
    /// <c>handle</c> (<c>provider</c> and <c>id</c> may be missing: the mention is then shown as <c>@handle</c>
    /// everywhere), or a text, read as a handle. A leading <c>@</c> of the handle is dropped.</summary>
    public static MentionInline? Read(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            StringValue { Text.Length: > 0 } handle => new MentionInline("", "", TrimAt(handle.Text)),
            ObjectValue obj when Member(obj, Handle) is { Length: > 0 } handle =>
                new MentionInline(Member(obj, Provider) ?? "", Member(obj, Id) ?? "", TrimAt(handle)),
            _ => null,
        };
    }

    static string? Member(ObjectValue obj, string name)
    {
        foreach (var member in obj.Members)
        {
            if (member.Key == name)
                return member.Value is StringValue text ? text.Text : null;
        }
        return null;
    }

    static string TrimAt(string handle) => handle.StartsWith('@') ? handle[1..] : handle;
}
