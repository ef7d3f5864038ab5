namespace Cog.Language.Pipelines;

/// <summary>The bounds on one pipeline. Parsing and resolution stop with a positioned error at the first one exceeded,
/// before doing the work that grows with the input, so a plan costs at most what these allow.</summary>
/// <remarks>
/// <para>The defaults are what the server uses; other values are for measuring (benchmarks) and tests. Text lengths
/// are in UTF-16 code units, as <see cref="string.Length"/> counts them.</para>
/// <para>The language has one nested construct, alias expansion, bounded by <see cref="Resolution.CommandResolver.ExpansionLimit"/>;
/// variable paths and interpolations are read iteratively, and an option's value cannot be another option.</para>
/// </remarks>
public sealed record PipelineLimits
{
    /// <summary>The limits the server applies.</summary>
    public static PipelineLimits Default { get; } = new();

    /// <summary>The longest pipeline text: 65,536 characters (a Slack message has at most 40,000).</summary>
    public int MaxTextLength { get; init; } = 65_536;

    /// <summary>The most stages in one pipeline, counted as written and again after alias expansion: 256.</summary>
    public int MaxStages { get; init; } = 256;

    /// <summary>The most arguments and options in one pipeline, all stages together, counted as written and again after
    /// alias expansion: 10,000.</summary>
    public int MaxArguments { get; init; } = 10_000;

    /// <summary>The most variable references in one pipeline text: <c>$name</c> arguments and <c>${name}</c>
    /// interpolations together: 1,000.</summary>
    public int MaxVariableReferences { get; init; } = 1_000;

    /// <summary>The most keys and indexes after a variable's name (<c>$a.b[0]</c> has two): 32.</summary>
    public int MaxVariablePathLength { get; init; } = 32;
}
