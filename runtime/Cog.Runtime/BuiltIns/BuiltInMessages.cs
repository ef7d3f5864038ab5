using System.Globalization;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>Every message the built-in <c>operable</c> commands give users (tests pin each text).</summary>
/// <remarks>Texts of Cog 1.0's embedded commands are kept word for word where the original had one; the others are new
/// and say so in their summary.</remarks>
public static class BuiltInMessages
{
    // ---- Arguments (Cog 1.0's Cog.Commands.Helpers) ------------------------------------------------------------

    /// <summary>Fewer arguments than the command needs.</summary>
    public static string NotEnoughArgs(int count) =>
        $"Not enough args. Arguments required: exactly {count.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>More arguments than the command takes.</summary>
    public static string TooManyArgs(int count) =>
        $"Too many args. Arguments required: exactly {count.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>More arguments than the command's optional ones.</summary>
    public static string OverMaxArgs(int max) =>
        $"Too many args. Arguments required: maximum of {max.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>Fewer arguments than the command's minimum.</summary>
    public static string UnderMinArgs(int min) =>
        $"Not enough args. Arguments required: minimum of {min.ToString(CultureInfo.InvariantCulture)}.";

    // ---- history (Cog 1.0's texts) ----------------------------------------------------------------------------------

    /// <summary><c>history</c> when nothing matches.</summary>
    public const string HistoryEmpty = "Empty command history.";

    /// <summary><c>history --limit</c> below 0.</summary>
    public const string HistoryNegativeLimit = "Limit must be a positive integer";

    /// <summary><c>history</c> with arguments that are not a range; <paramref name="arguments"/> printed as Cog 1.0
    /// (Elixir's <c>inspect</c>): <c>["a", 3]</c>.</summary>
    public static string HistoryBadRange(string arguments) => $"Invalid history index range args: {arguments}";

    /// <summary>A bound of a <c>history</c> range that is not a number (Cog 1.0's text, unclosed quote included).</summary>
    public static string HistoryBadNumber(string text) => $"Invalid number: '{text}";

    // ---- pipeline-list, pipeline-info, pipeline-kill (Cog 1.0's texts unless marked new) ----------------------------

    /// <summary><c>pipeline-list --user all</c> without <c>operable:manage_user_pipeline</c>.</summary>
    public const string PipelinesOfAllUsersNeedPermission =
        "You must have the operable:manage_user_pipeline permission to view pipeline history for all users.";

    /// <summary><c>pipeline-list --user other</c> without <c>operable:manage_user_pipeline</c>.</summary>
    public const string PipelinesOfOtherUsersNeedPermission =
        "You must have the operable:manage_user_pipeline permission to view pipeline history for other users.";

    /// <summary><c>pipeline-list --user</c> of a user that does not exist.</summary>
    public static string PipelineUserNotFound(string username) => $"User '{username}' not found";

    /// <summary><c>pipeline-list --expr</c> that does not compile.</summary>
    public const string PipelineBadRegex = "Bad regular expression";

    /// <summary><c>pipeline-list --state</c> that is not a state.</summary>
    public const string PipelineBadState = "Valid state names are: R, W, F, running, waiting, finished";

    /// <summary><c>pipeline-list --last</c> below 1 (new: the original passed it to the database).</summary>
    public const string PipelineBadLast = "The --last option must be a positive integer.";

    /// <summary>The text of <c>pipeline-kill</c> when it killed nothing.</summary>
    public const string PipelinesKilledNone = "none";

    /// <summary><c>pipeline-kill</c> of pipelines whose servers did not answer (new: Cog 1.0 had one server).</summary>
    public static string PipelinesNotReached(IReadOnlyCollection<string> killed, IEnumerable<PipelineHistoryEntry> silent) =>
        $"Pipelines killed: {(killed.Count == 0 ? PipelinesKilledNone : string.Join(',', killed))}. "
        + string.Join(" ", silent.Select(static p => PipelineMessages.OwnerSilent(p.Id, p.Instance ?? "")));

    // ---- alias-* (Cog 1.0's texts unless marked new) -----------------------------------------------------------------

    /// <summary>No alias of that name (after <c>user:</c>/<c>site:</c>, or the user's then the site's).</summary>
    public static string AliasNotFound(string name) => $"I can't find '{name}'. Please try again";

    /// <summary>The name is taken among the aliases of the destination visibility.</summary>
    public const string AliasNameTaken = "name: The alias name is already in use.";

    /// <summary><c>alias-move user:x user</c>.</summary>
    public const string AliasAlreadyUser = "Alias is already in the 'user' namespace.";

    /// <summary><c>alias-move site:x site</c>.</summary>
    public const string AliasAlreadySite = "Alias is already in the 'site' namespace.";

    /// <summary><c>alias-list</c> pattern with other characters than letters, digits, <c>*</c>, <c>-</c>, <c>_</c>.</summary>
    public const string AliasBadPattern =
        "Invalid alias name. Only emoji, letters, numbers, and the following special characters are allowed: *, -, _";

    /// <summary><c>alias-list</c> pattern with several <c>*</c>.</summary>
    public const string AliasTooManyWildcards = "Too many wildcards. You can only include one wildcard in a query";

    /// <summary>An alias name that could not be invoked (new: the original accepted any name, and such an alias could
    /// never run).</summary>
    public static string AliasInvalidName(string name) =>
        $"'{name}' is not a valid alias name. An alias name is written like a command name: a lowercase letter, then letters, digits, '_' or '-' (or an emoji such as :ship:).";

    /// <summary>An alias whose pipeline does not parse (new: the original saved it and failed when it was used).</summary>
    public static string AliasBadPipeline(string message, int line, int column) =>
        $"The alias's pipeline does not parse (line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}): {message}";

    /// <summary><c>alias-delete name</c> or <c>alias-move name …</c> where <c>name</c> is only a site alias (new: a site
    /// alias is changed only when named <c>site:name</c>, so the access rules see that the site's aliases change).</summary>
    public static string AliasSiteNotNamed(string name) => $"'{name}' is a site alias: name it site:{name} to change it.";

    /// <summary>A site alias would take the name of installed commands without <c>--shadow</c> (new).</summary>
    public static string AliasWouldShadow(string name, IEnumerable<string> commands) =>
        $"A site alias named '{name}' would shadow the command {string.Join(", ", commands)} for everybody; add --shadow to mean it.";

    /// <summary>An administrative change was committed but the audit log could not record it (new).</summary>
    public const string ChangeNotAudited =
        "The change was made, but the audit log could not record it. Ask an operator to check Cog's store.";

    // ---- administration (bundle-*, rule-*, permission-*, role-*, group-*, user-*, relay-*, trigger-*) ---------------
    // Refusals carry the administration services' own messages (AdminMessages, IdentityMessages, StoreErrors,
    // TriggerErrors); these are the few the commands add.

    /// <summary><c>bundle-install</c> from chat (new: Cog 1.0 installed from the Warehouse registry, which is gone).</summary>
    public const string BundleInstallUnavailable =
        "Bundles cannot be installed from chat: there is no bundle registry to install from. Use `cogctl bundle install <package or config file>` or the REST API.";

    /// <summary><c>relay-update</c> without <c>--name</c> or <c>--description</c> (new).</summary>
    public const string RelayUpdateNothing = "Nothing to update: give --name and/or --description.";

    // ---- seed ---------------------------------------------------------------------------------------------------

    /// <summary><c>seed</c> takes exactly one argument.</summary>
    public const string SeedSingleArgument = "Please supply a single argument";

    /// <summary><c>seed</c>'s argument is a number, boolean, object or list instead of text.</summary>
    public const string SeedNotString = "Argument must be a string";

    /// <summary><c>seed</c>'s argument is not JSON. Cog 1.0's text, plus where the JSON goes wrong (new).</summary>
    public static string SeedBadJson(int line, int column) =>
        $"Bad input! Please supply valid JSON. The JSON is invalid at line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary><c>seed</c>'s JSON is neither an object nor a non-empty list.</summary>
    public const string SeedNotMapOrList = "JSON must be a map or a list of maps";

    /// <summary><c>seed</c>'s JSON list holds something other than objects.</summary>
    public const string SeedListOfMaps = "All values in a JSON list must be maps";

    // ---- filter -------------------------------------------------------------------------------------------------

    // Cog 1.0 listed filter's errors as Markdown bullets, one per line; each refusal here is one such line.

    /// <summary><c>filter --matches</c> without <c>--path</c>.</summary>
    public const string FilterMissingPath = "* Must specify '--path' with the '--matches' option.";

    /// <summary><c>filter --matches</c> is not a regular expression (or has an unknown flag).</summary>
    public const string FilterBadRegex = "* The regular expression in '--matches' does not compile correctly.";

    /// <summary><c>filter --matches</c> ran past its time limit on a value (new: the original had no limit).</summary>
    public const string FilterRegexTooSlow = "* The regular expression in '--matches' took too long to match a value.";

    // ---- min, max -----------------------------------------------------------------------------------------------

    /// <summary>No item of <c>min</c>/<c>max</c> has the path.</summary>
    public const string PathNotFound = "The path provided does not exist";

    // ---- tee, cat -----------------------------------------------------------------------------------------------

    /// <summary><c>tee</c> without a name.</summary>
    public const string TeeNeedsName = "operable:tee requires a name to be specified for the pipeline content";

    /// <summary><c>cat</c> without a name.</summary>
    public const string CatNeedsName = "operable:cat requires a name to be specified";

    /// <summary><c>cat --append --merge</c>.</summary>
    public const string CatAppendAndMerge = "The append and merge options cannot be specified together";

    /// <summary><c>cat</c> of a name nothing was saved under (Cog 1.0's beginning; the reason is new: the original
    /// printed an Erlang error term).</summary>
    public static string CatNotFound(string name) => $"Unable to retrieve data for {name}: nothing has been saved under that name.";

    /// <summary><c>cat --merge</c> or <c>--insert</c> where the input or the saved data is not one object.</summary>
    public static string CatMapsOnly(string option) => $"The {option} option is only applicable for map values";

    // ---- sleep --------------------------------------------------------------------------------------------------

    /// <summary><c>sleep</c> without a duration.</summary>
    public const string SleepNeedsDuration = "Must specify a duration";

    /// <summary><c>sleep</c> with several durations (Cog 1.0 said "Must specify a only one duration").</summary>
    public const string SleepOneDuration = "Must specify only one duration";

    /// <summary><c>sleep</c> with something other than a whole number of seconds (new: the original gave the previous
    /// message).</summary>
    public const string SleepNotSeconds = "The duration must be a whole number of seconds, 0 or more.";

    // ---- abort-when ---------------------------------------------------------------------------------------------

    /// <summary>The abort message of <c>abort-when</c> without <c>--message</c>.</summary>
    public const string PipelineAborted = "Pipeline aborted";

    // ---- help ---------------------------------------------------------------------------------------------------

    // Cog 1.0's texts (lib/cog/commands/help.ex, error_msg/1).

    /// <summary><c>help bundle:command</c> of a command that no installed bundle has.</summary>
    public static string HelpCommandNotFound(string command) =>
        $"Command '{command}' not found. Check the bundle and command name and try again.";

    /// <summary><c>help name</c>: neither a bundle nor a command of any bundle.</summary>
    public static string HelpNothingFound(string name) =>
        $"Could not find a bundle or a command in any bundle with the name '{name}'. Check the name and try again.";

    /// <summary><c>help several words</c>: no command of any bundle has the hyphen-joined name.</summary>
    public static string HelpNoCommandFound(string name) =>
        $"Could not find a command in any bundle with the name '{name}'. Check the name and try again.";

    /// <summary><c>help a b:c</c>: a colon after the first word (a bundle name cannot hold spaces).</summary>
    public static string HelpInvalidBundle(string name) => $"Invalid bundle name '{name}'. Check the name and try again.";

    /// <summary>A command name that several bundles have, with their qualified names sorted.</summary>
    public static string HelpAmbiguous(string name, IEnumerable<string> commands) =>
        $"Multiple bundles contain a command with the name '{name}'.\nPlease specify which command by using the command's fully qualified name.\n\n"
        + string.Join('\n', commands.Order(StringComparer.Ordinal));

    /// <summary>Marks a command the caller may not run because they lack permissions (new): the deciding
    /// rule's permissions the caller does not hold.</summary>
    public static string HelpLacksPermissions(IEnumerable<string> missing) =>
        $"you may not run this: you lack {string.Join(", ", missing.Select(static p => $"'{p}'"))}";

    /// <summary>Marks a command none of whose rules matches an invocation without arguments (new).</summary>
    public const string HelpNoRuleMatches = "you may not run this without arguments: no rule allows it";

    /// <summary>Marks a command one of whose rules could not be evaluated, which refuses it (new).</summary>
    public static string HelpRuleFailed(string reason) => $"you may not run this: a rule could not be evaluated ({reason})";

    /// <summary>Marks a command of a disabled bundle (new).</summary>
    public const string HelpBundleDisabled = "disabled: enable the bundle to run it";

    // ---- Any command --------------------------------------------------------------------------------------------

    /// <summary>The executor was given a command that is not built in (a wiring bug, not a user error).</summary>
    public static string UnknownCommand(string bundle, string command) => $"'{bundle}:{command}' is not a built-in command.";

    /// <summary>A built-in command ran past its timeout.</summary>
    public static string TimedOut(string invocation, TimeSpan timeout) =>
        $"The `{invocation}` command timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds.";

    /// <summary>The pipeline was stopped (killed, or its deadline passed) while a built-in command ran.</summary>
    public static string Stopped(string invocation) => $"The `{invocation}` command was stopped before it finished.";

    /// <summary>A built-in command failed on a bug; the message names the cause for the operator.</summary>
    public static string Failed(string invocation, string cause) => $"The `{invocation}` command failed unexpectedly: {cause}";
}
