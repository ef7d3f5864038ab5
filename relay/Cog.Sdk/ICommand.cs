namespace Cog.Sdk;

/// <summary>A command of a plugin-assembly bundle: the class a manifest's <c>type:</c> names implements this.</summary>
/// <remarks>
/// <para>The relay creates one instance per invocation with a public parameterless constructor, so a command keeps no
/// state between invocations; use <see cref="CommandContext.Store"/> to collect data across the items of a stage.</para>
/// <para>Throwing fails only this invocation: the relay reports the exception message as the command's error. Prefer
/// <see cref="CommandResult.Error(string)"/> for failures the user should read.</para>
/// </remarks>
public interface ICommand
{
    /// <summary>Runs the command for one input item.</summary>
    /// <param name="context">The invocation: arguments, options, input item, caller, configuration and services.</param>
    /// <param name="cancellationToken">Cancelled when the invocation's deadline passes or the pipeline is killed;
    /// pass it to everything that waits.</param>
    /// <returns>Output items, an abort, or an error.</returns>
    Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
