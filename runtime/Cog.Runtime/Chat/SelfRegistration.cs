using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Chat;

/// <summary>Self-registration: a Cog user for an unknown chat user, created through
/// <see cref="UserAdministration"/> as a system change (audited <c>user.created</c> and <c>chat_handle.attached</c>).</summary>
/// <remarks>The username is the handle, or <c>handle_1</c> … <c>handle_20</c> when taken (then it gives up); first and
/// last name and email come from the chat profile (an email-less profile gets <c>username@provider.invalid</c>, a
/// reserved domain that never receives mail); the password is random and never shown (the user signs in to the API only
/// after an administrator sets one). The new user has no permissions. Thread-safe.</remarks>
sealed class SelfRegistration(UserAdministration users)
{
    /// <summary>How many numbered usernames are tried after the handle itself.</summary>
    public const int MaxSuffix = 20;

    /// <summary>The new user, or <see langword="null"/> when it could not be created.</summary>
    public async Task<User?> RegisterAsync(string provider, ChatUser sender, CancellationToken cancellationToken)
    {
        for (var suffix = 0; suffix <= MaxSuffix; suffix++)
        {
            var username = suffix == 0 ? sender.Handle : $"{sender.Handle}_{suffix}";
            var email = string.IsNullOrWhiteSpace(sender.Email) ? $"{username}@{provider}.invalid" : sender.Email;
            var created = await users.CreateAsync(AdminActor.System,
                new UserFields(username, email, sender.FirstName, sender.LastName, Bootstrap.GeneratePassword()), cancellationToken).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                if (UsernameTakenOnly(created.Error))
                    continue;
                return null;
            }
            var user = created.Value!.User;
            var attached = await users.AttachChatHandleAsync(AdminActor.System, user.Id, provider, sender.Handle, sender.Id, cancellationToken)
                .ConfigureAwait(false);
            if (attached.IsSuccess)
                return user;
            // The handle was claimed meanwhile: the account without it would be an orphan.
            await users.DeleteAsync(AdminActor.System, user.Id, cancellationToken).ConfigureAwait(false);
            return null;
        }
        return null;
    }

    static bool UsernameTakenOnly(AdminError error) =>
        error is { Kind: AdminErrorKind.Invalid, Fields: { Count: 1 } fields }
        && fields.TryGetValue("username", out var messages) && messages.Contains(IdentityMessages.Taken);
}
