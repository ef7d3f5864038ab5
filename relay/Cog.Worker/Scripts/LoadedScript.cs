using System.Reflection;
using System.Runtime.Loader;

namespace Cog.Worker.Scripts;

/// <summary>
/// One compiled script version loaded into its own <see cref="AssemblyLoadContext"/>, with the submission factory ready
/// to call. The worker keeps it for its whole life: a worker serves one bundle version, and an edited script (dev mode)
/// is a new image under a new key.
/// </summary>
sealed class LoadedScript
{
    /// <summary>The type Roslyn scripting emits the submission as.</summary>
    public const string SubmissionType = "Submission#0";

    /// <summary>The submission type's static factory method.</summary>
    public const string FactoryMethod = "<Factory>";

    LoadedScript(Func<object[], Task<object>> factory) => Factory = factory;

    /// <summary>Creates the submission and runs it: the argument is the submission array, whose element 0 holds the globals.</summary>
    public Func<object[], Task<object>> Factory { get; }

    /// <summary>Loads <paramref name="image"/> (an assembly emitted by the relay's script compiler) into a new context
    /// named after <paramref name="key"/>.</summary>
    /// <exception cref="BadImageFormatException">The image is not a valid assembly.</exception>
    /// <exception cref="InvalidOperationException">The image has no script submission factory.</exception>
    public static LoadedScript Load(string key, byte[] image)
    {
        var context = new AssemblyLoadContext("cog-script-" + key, isCollectible: true);
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            var assembly = context.LoadFromStream(stream);
            var method = assembly.GetType(SubmissionType, throwOnError: false)?.GetMethod(FactoryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"The script assembly has no {SubmissionType}.{FactoryMethod} method.");
            return new LoadedScript(method.CreateDelegate<Func<object[], Task<object>>>());
        }
        catch
        {
            context.Unload();
            throw;
        }
    }
}
