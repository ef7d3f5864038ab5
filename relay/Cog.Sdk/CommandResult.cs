namespace Cog.Sdk;

/// <summary>What a command returns: output items, an abort, or an error.</summary>
/// <remarks>
/// Each output item becomes one input item of the next stage, and the last stage's items are rendered in chat. An
/// item may be any value that serializes to a JSON object (an anonymous object, a record, a dictionary, a
/// <see cref="System.Text.Json.JsonElement"/> holding an object); anything else fails the invocation with a clear
/// error.
/// </remarks>
public sealed class CommandResult
{
    CommandResult(CommandStatus status, IReadOnlyList<object> items, string? message, string? template)
    {
        Status = status;
        Items = items;
        Message = message;
        Template = template;
    }

    /// <summary>How the invocation ended.</summary>
    public CommandStatus Status { get; }

    /// <summary>The output items (empty unless <see cref="Status"/> is <see cref="CommandStatus.Ok"/>).</summary>
    public IReadOnlyList<object> Items { get; }

    /// <summary>The abort or error message; <see langword="null"/> for <see cref="CommandStatus.Ok"/>.</summary>
    public string? Message { get; }

    /// <summary>The bundle template to render the output with, or <see langword="null"/> for the default.</summary>
    public string? Template { get; }

    /// <summary>Output items.</summary>
    public static CommandResult Ok(params object[] items) => Ok((IEnumerable<object>)items);

    /// <summary>Output items.</summary>
    public static CommandResult Ok(IEnumerable<object> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        object[] list = [.. items];
        foreach (var item in list)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }
        return new(CommandStatus.Ok, list, null, null);
    }

    /// <summary>No output: the pipeline ends here, successfully.</summary>
    public static CommandResult Empty { get; } = new(CommandStatus.Ok, [], null, null);

    /// <summary>Stops the pipeline on purpose with <paramref name="message"/>.</summary>
    public static CommandResult Abort(string message) =>
        new(CommandStatus.Abort, [], message ?? throw new ArgumentNullException(nameof(message)), null);

    /// <summary>Fails the invocation with <paramref name="message"/>, shown to the user.</summary>
    public static CommandResult Error(string message) =>
        new(CommandStatus.Error, [], message ?? throw new ArgumentNullException(nameof(message)), null);

    /// <summary>The same result, rendered with the bundle's template <paramref name="name"/>.</summary>
    public CommandResult WithTemplate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(Status, Items, Message, name);
    }
}
