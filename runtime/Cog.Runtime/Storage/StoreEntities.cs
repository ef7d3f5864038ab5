namespace Cog.Runtime.Storage;

/// <summary>Entity names used in <see cref="StoreErrors"/> messages.</summary>
public static class StoreEntities
{
    /// <summary>A user.</summary>
    public const string User = "User";
    /// <summary>A chat handle.</summary>
    public const string ChatHandle = "Chat handle";
    /// <summary>A group.</summary>
    public const string Group = "Group";
    /// <summary>A role.</summary>
    public const string Role = "Role";
    /// <summary>A permission.</summary>
    public const string Permission = "Permission";
    /// <summary>A bundle.</summary>
    public const string Bundle = "Bundle";
    /// <summary>A bundle version.</summary>
    public const string BundleVersion = "Bundle version";
    /// <summary>A command.</summary>
    public const string Command = "Command";
    /// <summary>A rule.</summary>
    public const string Rule = "Rule";
    /// <summary>An alias.</summary>
    public const string Alias = "Alias";
    /// <summary>A relay.</summary>
    public const string Relay = "Relay";
    /// <summary>A relay group.</summary>
    public const string RelayGroup = "Relay group";
    /// <summary>A dynamic configuration layer.</summary>
    public const string ConfigLayer = "Dynamic config layer";
    /// <summary>A trigger.</summary>
    public const string Trigger = "Trigger";
    /// <summary>An API token.</summary>
    public const string Token = "Token";
    /// <summary>A pipeline history entry.</summary>
    public const string Pipeline = "Pipeline";
    /// <summary>A group membership or grant.</summary>
    public const string Grant = "Grant";
}
