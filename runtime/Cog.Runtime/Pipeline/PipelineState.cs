namespace Cog.Runtime.Pipeline;

/// <summary>The state of a pipeline in history.</summary>
public enum PipelineState
{
    /// <summary>Running a command.</summary>
    Running,

    /// <summary>Waiting (for a relay, an approval...).</summary>
    Waiting,

    /// <summary>Done, successfully or not.</summary>
    Finished,

    /// <summary>The server running it stopped without finishing it (a crash); found and marked at the server's next
    /// start, with a <c>pipeline.interrupted</c> audit record.</summary>
    Interrupted,
}
