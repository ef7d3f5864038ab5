namespace Cog.Sdk;

/// <summary>Where an invocation stands among the items of its stage.</summary>
/// <remarks>
/// A stage runs its command once per input item. With one item the step is <see cref="Last"/>; with several, the
/// first is <see cref="First"/>, the last <see cref="Last"/> and the others <see cref="Middle"/> (Cog 1.0's
/// <c>COG_INVOCATION_STEP</c>). Commands that need every item (sort, count...) collect them in
/// <see cref="CommandContext.Store"/> and answer at <see cref="Last"/>.
/// </remarks>
public enum InvocationStep
{
    /// <summary>Neither the first nor the last item.</summary>
    Middle,

    /// <summary>The first of several items.</summary>
    First,

    /// <summary>The last item, or the only one.</summary>
    Last,
}
