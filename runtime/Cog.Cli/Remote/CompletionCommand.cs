using System.CommandLine;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl completion bash|zsh</c>: prints a shell completion script. The script asks cogctl itself what can
/// come next through System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always match the
/// commands and options of the cogctl on <c>PATH</c>.</summary>
static class CompletionCommand
{
    /// <summary>For bash: the line after the program's name and the cursor's place in it, filtered by the word being typed.</summary>
    internal const string Bash = """
        # cogctl completion for bash. Load it with: source <(cogctl completion bash)   (e.g. in ~/.bashrc)
        _cogctl_complete() {
          local program="${COMP_WORDS[0]}"
          local line="${COMP_LINE:${#program}}"
          local position=$(( COMP_POINT - ${#program} ))
          local IFS=$'\n'
          COMPREPLY=( $(compgen -W "$("$program" "[suggest:$position]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _cogctl_complete cogctl

        """;

    /// <summary>For zsh: the words after the program's name up to the cursor give the position; compadd filters.</summary>
    internal const string Zsh = """
        #compdef cogctl
        # cogctl completion for zsh. Load it with: source <(cogctl completion zsh)   (e.g. in ~/.zshrc, after compinit)
        _cogctl() {
          local line="${(j: :)words[2,-1]}"
          local before="${(j: :)words[2,CURRENT]}"
          local -a completions
          completions=("${(@f)$(${words[1]} "[suggest:${#before}]" "$line" 2>/dev/null)}")
          compadd -a completions
        }
        compdef _cogctl cogctl

        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion",
            "Print the shell completion script for bash or zsh: source <(cogctl completion bash) completes commands and options.") { shell };
        context.SetLocalAction(command, (s, r, _) =>
        {
            s.Output.Write(r.GetValue(shell) == "zsh" ? Zsh : Bash);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
