namespace Cog.Sdk.Testing;

/// <summary>A <see cref="PipelineRun"/> did not end as a test expected (<see cref="PipelineRun.EnsureSucceeded"/>,
/// <see cref="PipelineRun.EnsureRefused"/>). The message says how it ended, why, and what the rules decided.</summary>
public sealed class PipelineRunException : Exception
{
    /// <summary>Creates the exception for <paramref name="run"/>.</summary>
    public PipelineRunException(string message, PipelineRun run)
        : base(message)
    {
        Run = run;
    }

    /// <summary>The run that did not end as expected.</summary>
    public PipelineRun Run { get; }
}

/// <summary>A bundle could not be loaded by <see cref="BundleTestHost.LoadAsync"/>: its manifest does not validate
/// (every error with file, line and column), it cannot be packaged, or it is not a folder or package at all.</summary>
public sealed class BundleLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BundleLoadException(string message, IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? message : message + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Each error, positioned where it has a position (<c>config.yaml:12:5: ...</c>).</summary>
    public IReadOnlyList<string> Errors { get; }
}
