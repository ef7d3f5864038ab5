namespace Cog.Runtime.Pipeline;

/// <summary>The state of a pipeline in history (reference §8.4).</summary>
public enum PipelineState
{
    /// <summary>Running a command.</summary>
    Running,

    /// <summary>Waiting (for a relay, an approval...).</summary>
    Waiting,

    /// <summary>Done, successfully or not.</summary>
    Finished,
}
