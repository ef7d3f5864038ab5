namespace Cog.Api.Infrastructure;

/// <summary>Messages of the bundle, rule, relay, relay-group and dynamic configuration endpoints that are about the
/// request itself (tests pin them). What the administration refuses is worded by
/// <c>Cog.Runtime.Administration.AdminMessages</c>.</summary>
public static class AdminApiMessages
{
    /// <summary>Changeset wording of Cog 1.0 for a field of the wrong JSON type.</summary>
    public const string IsInvalid = "is invalid";

    /// <summary>An install request without a manifest or package.</summary>
    public const string NoBundleGiven =
        "Give the bundle as JSON {\"bundle\": {\"config\": {...}}} or as a multipart form field bundle[config_file] (a manifest) or bundle[package] (a package archive).";

    /// <summary>Cog 1.0: a status other than <c>enabled</c> or <c>disabled</c>.</summary>
    public static string UnrecognizedStatus(string status) => $"Unrecognized status: \"{status}\"";

    /// <summary>Listing rules needs the command.</summary>
    public const string ForCommandRequired = "Give the command whose rules to list: ?for-command=bundle:command";

    /// <summary>One manifest error in the <c>errors</c> list of a refused install, worded as Cog 1.0's
    /// (<c>Error near #/pointer: message</c>), with where it is (<c>file:line:column: message</c>).</summary>
    public static string ManifestErrorLine(string pointer, string positionedMessage) => $"Error near {pointer}: {positionedMessage}";
}
