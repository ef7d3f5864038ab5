namespace Cog.Runtime.Identity;

/// <summary>Environment bootstrap (<c>COG_BOOTSTRAP_*</c>, <c>RELAY_ID</c>, <c>RELAY_COG_TOKEN</c>),
/// bound by the server from its configuration. Applies only when the five user fields are all set.</summary>
public sealed class BootstrapOptions
{
    /// <summary>The administrator's username.</summary>
    public string? Username { get; set; }

    /// <summary>The administrator's password.</summary>
    public string? Password { get; set; }

    /// <summary>The administrator's email address.</summary>
    public string? EmailAddress { get; set; }

    /// <summary>The administrator's first name.</summary>
    public string? FirstName { get; set; }

    /// <summary>The administrator's last name.</summary>
    public string? LastName { get; set; }

    /// <summary>Optionally, the administrator's chat handle.</summary>
    public BootstrapChatHandle? ChatHandle { get; set; }

    /// <summary>Optionally (with <see cref="RelayToken"/>), the id of a relay registered as <c>default</c>, enabled, in
    /// a new relay group <c>default</c>.</summary>
    public string? RelayId { get; set; }

    /// <summary>The token of relay <see cref="RelayId"/>.</summary>
    public string? RelayToken { get; set; }

    /// <summary>Whether the five user fields are all set.</summary>
    public bool IsComplete =>
        !string.IsNullOrWhiteSpace(Username) && !string.IsNullOrEmpty(Password) && !string.IsNullOrWhiteSpace(EmailAddress)
        && !string.IsNullOrWhiteSpace(FirstName) && !string.IsNullOrWhiteSpace(LastName);
}
