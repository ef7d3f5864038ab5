namespace Cog.Sdk;

/// <summary>How an invocation ended.</summary>
public enum CommandStatus
{
    /// <summary>It produced its output items (possibly none, which ends the pipeline early).</summary>
    Ok,

    /// <summary>It stopped the pipeline on purpose; chat shows the abort message, not an error.</summary>
    Abort,

    /// <summary>It failed; chat shows the error message.</summary>
    Error,
}
