namespace Cog.Api.Relays;

/// <summary>The texts of the package endpoint's error responses and log lines (the catalog: tests pin them). None
/// holds a token.</summary>
static class RelayPackageErrors
{
    /// <summary>401: no, malformed or wrong credentials; one text for all, so a client learns nothing about which
    /// relay ids exist.</summary>
    public const string Unauthorized = "Authenticate with the relay's id and token (HTTP basic authentication).";

    /// <summary>403: the relay is disabled.</summary>
    public static string Disabled(string relayId) => $"Relay {relayId} is disabled.";

    /// <summary>403: the authenticated relay asked for another relay's package URL.</summary>
    public static string OtherRelay(string relayId, string routeRelayId) =>
        $"Relay {relayId} may not download the packages of relay {routeRelayId}.";

    /// <summary>403: the bundle version is not assigned to the relay.</summary>
    public static string NotAssigned(string bundle, string version, string relayId) =>
        $"Bundle {bundle} {version} is not assigned to relay {relayId}.";

    /// <summary>404: no such package.</summary>
    public static string NotFound(string bundle, string version) => $"There is no package of bundle {bundle} {version}.";
}
