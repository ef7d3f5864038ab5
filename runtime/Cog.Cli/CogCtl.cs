using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text;
using Cog.Cli.Offline;
using Cog.Cli.Remote;

namespace Cog.Cli;

/// <summary>
/// The cogctl command tree. <see cref="RunAsync"/> is the whole program, so tests (here and end-to-end against a real
/// server) call it in-process with their own <see cref="CogCtlEnvironment"/>: a temporary home and configuration file,
/// captured output, scripted standard input.
/// </summary>
public static class CogCtl
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (docs/cogctl.md).</summary>
    public static async Task<int> RunAsync(string[] args, CogCtlEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        Table.MaxWidth = environment.TerminalWidth;
        using var context = new CliContext(environment, new GlobalOptions());
        var parsed = Parse(args, context);
        if (parsed is null)
        {
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(Invocation(environment), cancellationToken);
    }

    /// <summary>Runs cogctl with only output and error given (no configuration file, environment or standard input):
    /// enough for the offline commands.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var environment = new CogCtlEnvironment { Output = output, Error = error, HomeDirectory = Path.GetTempPath() };
        Table.MaxWidth = environment.TerminalWidth;
        using var context = new CliContext(environment, new GlobalOptions());
        return Parse(args, context)?.Invoke(Invocation(environment)) ?? ExitCodes.Usage;
    }

    static InvocationConfiguration Invocation(CogCtlEnvironment environment) =>
        new() { Output = environment.Output, Error = environment.Error };

    static ParseResult? Parse(string[] args, CliContext context)
    {
        var root = Build(context);
        // '@' starts chat targets (`> @alice`), not response files.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var error = context.Environment.Error;
        if (parsed.Errors.Count == 0)
        {
            if (UnknownOptionTakenAsArgument(parsed, args) is not { } unknown)
            {
                return parsed;
            }
            var command = CommandPath(parsed.CommandResult);
            error.WriteLine($"error: Unrecognized option '{unknown}' for '{command}'. A value that starts with '-' goes after '--'.");
            error.WriteLine($"Run '{command} --help' for its options.");
            return null;
        }
        foreach (var problem in parsed.Errors)
        {
            error.WriteLine($"error: {problem.Message}");
        }
        error.Write(DidYouMean(parsed));
        error.WriteLine("Run 'cogctl --help' for usage.");
        return null;
    }

    /// <summary>A word shaped like an option: <c>--</c> then a lower-case name (<c>--groups</c>, <c>--relay-group</c>), or
    /// <c>-</c> and one letter (<c>-g</c>). Passwords and tokens that merely start with <c>-</c> are not (<c>-x7Tq…</c>),
    /// nor are negative numbers.</summary>
    static readonly System.Text.RegularExpressions.Regex OptionShaped = new("^(--[a-z][a-z0-9-]*|-[A-Za-z])$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The first value the parser gave to a one-word argument although it is shaped like an option
    /// (<see cref="OptionShaped"/>) and was written before any <c>--</c>: <c>cogctl relay create web-1 --groups
    /// default</c> would otherwise create relay <c>--groups</c>. Null when there is none. The words of a text argument
    /// pass (<c>cogctl pipeline run echo --all</c>: the options are the pipeline's).</summary>
    static string? UnknownOptionTakenAsArgument(ParseResult parsed, string[] args)
    {
        var endOfOptions = Array.IndexOf(args, "--");
        var beforeEnd = endOfOptions < 0 ? args : args[..endOfOptions];
        return parsed.CommandResult.Children.OfType<ArgumentResult>()
            .Where(argument => argument.Argument.Arity.MaximumNumberOfValues == 1)
            .SelectMany(argument => argument.Tokens)
            .Select(token => token.Value)
            .FirstOrDefault(value => OptionShaped.IsMatch(value) && beforeEnd.Contains(value));
    }

    /// <summary>The words that name a parsed command, e.g. <c>cogctl relay create</c>.</summary>
    static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
        {
            names.Insert(0, current.Parent is null ? "cogctl" : current.Command.Name);
        }
        return string.Join(' ', names);
    }

    /// <summary>System.CommandLine's own typo corrections for the words it could not match (commands and options of the
    /// command being parsed, close by edit distance), e.g. <c>'lst' was not matched. Did you mean one of the
    /// following?</c> then <c>list</c>; "" when it has none. The library writes them on standard output, so they are
    /// caught here and go to standard error with the error they explain. Suggestions for a word of fewer than three
    /// characters or without a letter (a stray value such as <c>3</c>) are left out: every short option is "close" to
    /// it.</summary>
    static string DidYouMean(ParseResult parsed)
    {
        if (parsed.Action is not ParseErrorAction action)
        {
            return "";
        }
        action.ShowHelp = false;
        action.ShowTypoCorrections = true;
        using var suggestions = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = suggestions, Error = TextWriter.Null });
        var text = new StringBuilder();
        var keep = false;
        foreach (var line in suggestions.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // A block starts with "'WORD' was not matched. …" and lists one suggestion per line.
            if (line.StartsWith('\'') && line.IndexOf('\'', 1) is var end and > 0)
            {
                var word = line[1..end];
                keep = word.Length >= 3 && word.Any(char.IsLetter);
            }
            if (keep)
            {
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }

    static RootCommand Build(CliContext context)
    {
        var output = context.Environment.Output;
        var error = context.Environment.Error;
        var json = context.Globals.Json;

        var bundle = BundleCommands.Create(output, error, json);
        BundleRemoteCommands.AddTo(bundle, context);
        var pipeline = PipelineCommands.Create(output, error, json);
        PipelineRemoteCommands.AddTo(pipeline, context);
        var rule = RuleCommands.Create(output, error, json);
        RuleRemoteCommands.AddTo(rule, context);

        var root = new RootCommand("cogctl: manage Cog via its REST API, and check bundles, pipelines and rules offline.")
        {
            AuditCommands.Create(context),
            BootstrapCommand.Create(context),
            bundle,
            ChatHandleCommands.Create(context),
            GroupCommands.Create(context),
            PermissionCommands.Create(context),
            pipeline,
            ProfileCommands.Create(context),
            RelayCommands.Create(context),
            RelayGroupCommands.Create(context),
            RoleCommands.Create(context),
            rule,
            TokenCommand.Create(context),
            TriggerCommands.Create(context),
            UserCommands.Create(context),
            VersionCommand.Create(context),
        };
        root.Add(CompletionCommand.Create(context));
        // A bare `cogctl` shows the help (and exits 0), as `cogctl --help` does, rather than an error.
        root.SetAction(parse => new HelpAction().Invoke(parse));
        context.Globals.AddTo(root);
        return root;
    }
}
