using System.Text;

namespace Cog.Runtime.Administration;

/// <summary>The messages of the bundle, rule, relay, relay-group and dynamic configuration administration
/// (tests pin these texts). Cog 1.0's wording where it had one (rules: <c>Cog.Commands.Rule</c>;
/// relay groups: <c>Cog.Commands.Helpers</c>; layers: cogctl); not-found and store refusals use
/// <see cref="Bundles.BundleRegistryErrors"/> and <see cref="Storage.StoreErrors"/>.</summary>
public static class AdminMessages
{
    /// <summary>Changeset wording of Cog 1.0 for a required field left empty (<c>{"errors": {"name": ["can't be blank"]}}</c>).</summary>
    public const string Blank = "can't be blank";

    /// <summary>A new name of a group, role, relay or relay group has characters outside the name rule.</summary>
    public const string NameFormat = "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit";

    /// <summary>A new username has characters outside the username rule.</summary>
    public const string UsernameFormat = "may contain only letters, digits, '-', '_', '.', '@' and '+', and must start with a letter or digit";

    /// <summary>A new name is longer than names may be (Cog 1.0's changeset wording for a length limit).</summary>
    public static string NameTooLong(int max) => $"should be at most {max} character(s)";

    /// <summary>The rule text does not parse; <paramref name="error"/> is the positioned parser message
    /// (<c>RuleErrors.Format</c>), quoted as Cog 1.0 printed it.</summary>
    public static string RuleSyntax(string error) => $"Could not create rule: {ErlangQuote(error)}";

    /// <summary>The rule names a command that is not installed.</summary>
    public static string RuleUnrecognizedCommand(string command) => $"Could not create rule: Unrecognized command {ErlangQuote(command)}";

    /// <summary>The rule names a permission that does not exist.</summary>
    public static string RuleUnrecognizedPermission(string permission) => $"Could not create rule: Unrecognized permission {ErlangQuote(permission)}";

    /// <summary>Cog 1.0: a rule's permissions must be the command's bundle's or <c>site</c> ones.</summary>
    public const string RulePermissionOutsideBundle = "Could not create rule with permission outside of command bundle or the \"site\" namespace";

    /// <summary>The external broker refused (or did not answer) the change of a relay's login; nothing was changed.</summary>
    public static string RelayLoginRefused(string relayId, string reason) =>
        $"The broker's login for relay {relayId} could not be changed, so nothing was changed: {reason}";

    /// <summary>A rule id that is not a UUID.</summary>
    public static string InvalidUuid(string id) => $"Invalid UUID {ErlangQuote(id)}";

    /// <summary>No rule has this id.</summary>
    public static string RuleNotFound(string id) => $"Rule {ErlangQuote(id)} could not be found";

    /// <summary>Several rule ids are unknown.</summary>
    public static string RulesNotFound(IEnumerable<string> ids) => $"Rules {string.Join(", ", ids.Select(ErlangQuote))} could not be found";

    /// <summary>Listing the rules of a command that is not installed.</summary>
    public static string CommandNotFound(string command) => $"Command {command} not found";

    /// <summary>Listing the rules of a command whose bundle has no enabled version.</summary>
    public static string CommandNotEnabled(string command) => $"Command {command} not currently enabled; try enabling a bundle version first";

    /// <summary>A bundle that is disabled already (<c>bundle disable</c> in chat).</summary>
    public static string BundleAlreadyDisabled(string bundle) => $"Bundle {ErlangQuote(bundle)} is already disabled.";

    /// <summary>Names kept for Cog itself: <c>operable</c>, <c>site</c>, <c>user</c>, <c>cog</c>.</summary>
    public static string ReservedBundleName(string bundle) => $"Bundle name {ErlangQuote(bundle)} is reserved and cannot be installed.";

    /// <summary>A relay id given by the operator that cannot be a relay's MQTT user name and topic level.</summary>
    public static string InvalidRelayId(string id) => $"'{id}' is not a valid relay id: use 1 to 64 characters from a-z, 0-9 and '-'.";

    /// <summary>Some relays named in a relay-group change do not exist.</summary>
    public static string RelaysNotFound(IEnumerable<string> relays) => $"Some relays could not be found: '{string.Join(", ", relays)}'";

    /// <summary>Some bundles named in a relay-group change do not exist.</summary>
    public static string BundlesNotFound(IEnumerable<string> bundles) => $"Some bundles could not be found: '{string.Join(", ", bundles)}'";

    /// <summary>A dynamic configuration layer name that is neither <c>base</c>, <c>room/NAME</c> nor <c>user/NAME</c> (cogctl's wording).</summary>
    public const string InvalidLayer = "Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'";

    /// <summary>The bundle has no such layer (cogctl's wording).</summary>
    public static string LayerNotFound(string layer, string bundle) => $"Layer '{layer}' not found for bundle '{bundle}'";

    /// <summary>A layer's configuration that is not a map.</summary>
    public const string ConfigNotAMap = "The configuration must be a map of names to values.";

    /// <summary>Double-quotes text as Erlang's <c>inspect</c> printed strings in Cog 1.0's messages.</summary>
    static string ErlangQuote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                '\r' => builder.Append("\\r"),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }
}
