namespace Cog.Runtime.Rendering;

/// <summary>The texts the reply composer writes itself, without a template (house-style §3.11).</summary>
public static class ReplyMessages
{
    /// <summary>Even the template that reports template errors failed (Cog 1.0's "Irony level exceeded").</summary>
    public static string IronyLevelExceeded(string error) =>
        $"Irony level exceeded: the template that reports template errors failed as well. The error was: {error}";

    /// <summary>The abort message when the command gave none (reference §11 <c>abort-when</c>).</summary>
    public const string DefaultAbort = "Pipeline aborted";
}
