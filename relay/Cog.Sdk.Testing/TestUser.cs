using System.Collections.Frozen;

namespace Cog.Sdk.Testing;

/// <summary>Who runs a pipeline in a test: a Cog user and every permission they hold (as they would through their
/// groups and roles). The rules of the bundle and of the built-in commands decide what they may run.</summary>
public sealed class TestUser
{
    /// <summary>A user with the given permissions.</summary>
    /// <param name="username">The Cog username (<c>COG_USERNAME</c>, <c>User.Username</c>).</param>
    /// <param name="permissions">Fully qualified permission names (<c>bundle:name</c>), e.g. <c>greeter:greet</c>.</param>
    /// <param name="email">The user's email (<c>COG_EMAIL</c>), if any.</param>
    /// <param name="chatHandle">The chat handle they typed from (<c>COG_CHAT_HANDLE</c>); the username when not given.</param>
    /// <exception cref="ArgumentException">The username is empty, or a permission is not <c>bundle:name</c>.</exception>
    public TestUser(string username, IEnumerable<string>? permissions = null, string? email = null, string? chatHandle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var permission in permissions ?? [])
        {
            var colon = permission?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (permission is null || colon <= 0 || colon == permission.Length - 1)
                throw new ArgumentException(TestKitMessages.PermissionNotQualified(permission), nameof(permissions));
            names.Add(permission);
        }
        Username = username;
        Permissions = names.ToFrozenSet(StringComparer.Ordinal);
        Email = email;
        ChatHandle = chatHandle ?? username;
    }

    /// <summary>The Cog username.</summary>
    public string Username { get; }

    /// <summary>Every permission the user holds, fully qualified.</summary>
    public IReadOnlySet<string> Permissions { get; }

    /// <summary>The user's email, if any.</summary>
    public string? Email { get; }

    /// <summary>The chat handle the pipeline was typed from.</summary>
    public string ChatHandle { get; }

    /// <inheritdoc/>
    public override string ToString() => Permissions.Count == 0 ? Username : $"{Username} ({string.Join(", ", Permissions.Order(StringComparer.Ordinal))})";
}
