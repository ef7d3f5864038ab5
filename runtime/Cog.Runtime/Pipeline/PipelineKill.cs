namespace Cog.Runtime.Pipeline;

/// <summary>How <see cref="IPipelineMonitor.KillAsync"/> ended.</summary>
public enum PipelineKill
{
    /// <summary>The pipeline was running and is stopped.</summary>
    Killed,

    /// <summary>The pipeline is not running (it ended, or its server no longer runs it).</summary>
    NotRunning,

    /// <summary>The pipeline runs in another server that did not answer in time: it has stopped or cannot be reached.</summary>
    OwnerSilent,
}
