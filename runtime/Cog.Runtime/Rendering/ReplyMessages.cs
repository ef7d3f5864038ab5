namespace Cog.Runtime.Rendering;

/// <summary>The texts the reply composer writes itself, without a template.</summary>
public static class ReplyMessages
{
    /// <summary>Even the template that reports template errors failed (Cog 1.0's "Irony level exceeded").</summary>
    public static string IronyLevelExceeded(string error) =>
        $"Irony level exceeded: the template that reports template errors failed as well. The error was: {error}";

    /// <summary>The abort message when the command gave none (Cog 1.0's <c>abort-when</c>).</summary>
    public const string DefaultAbort = "Pipeline aborted";
}
