using System.Collections.Frozen;

namespace Cog.Runtime.Templates;

/// <summary>Cog's common templates, embedded in this assembly from <c>Templates/Common/*.liquid</c>.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public static class CommonTemplates
{
    /// <summary>A pipeline failed (data: <c>id</c>, <c>started</c>, <c>initiator</c>, <c>pipeline_text</c>,
    /// <c>error_message</c>, <c>planning_failure</c>, <c>execution_failure</c>, <c>position</c>).</summary>
    public const string Error = "error";

    /// <summary>Just the error message (data: <c>error_message</c>).</summary>
    public const string ErrorRaw = "error-raw";

    /// <summary>A command aborted the pipeline (the error data without the failures, plus <c>abort_message</c>,
    /// <c>abort_from</c>).</summary>
    public const string Abort = "abort";

    /// <summary>A stage produced no output.</summary>
    public const string EarlyExit = "early-exit";

    /// <summary>The results as a JSON code block (data: <c>results</c>).</summary>
    public const string Raw = "raw";

    /// <summary>Each line of each result's <c>body</c> (data: <c>results</c>).</summary>
    public const string Text = "text";

    /// <summary>The sender has no Cog account (data: <c>mention</c>, <c>provider</c>, <c>display_name</c>, <c>handle</c>,
    /// <c>user_creators</c>; a mention is a <see cref="Rendering.MentionData"/> object).</summary>
    public const string UnregisteredUser = "unregistered-user";

    /// <summary>A Cog account was created for the sender (data: <c>mention</c>, <c>first_name</c>, <c>username</c>,
    /// <c>provider</c>, <c>display_name</c>).</summary>
    public const string SelfRegistrationSuccess = "self-registration-success";

    /// <summary>Creating the sender's account failed (data: <c>mention</c>, <c>provider</c>, <c>display_name</c>,
    /// <c>handle</c>).</summary>
    public const string SelfRegistrationFailed = "self-registration-failed";

    /// <summary>An edited message is being run (data: <c>mention</c>, <c>command</c>).</summary>
    public const string EditedCommand = "edited-command";

    /// <summary>The named template does not exist (data: <c>template</c>, <c>bundle</c>, <c>data</c>).</summary>
    public const string TemplateNotFound = "error-template-not-found";

    /// <summary>The template failed (data: <c>template</c>, <c>bundle</c>, <c>error</c>, <c>position</c>, <c>data</c>).</summary>
    public const string TemplateEvaluation = "error-template-evaluation";

    static readonly FrozenDictionary<string, string> Sources = Load();

    /// <summary>The names of every common template.</summary>
    public static IEnumerable<string> Names => Sources.Keys;

    /// <summary>The source of the common template <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Sources.GetValueOrDefault(name);
    }

    static FrozenDictionary<string, string> Load()
    {
        const string Prefix = "Cog.Templates.";
        const string Suffix = ".liquid";
        var assembly = typeof(CommonTemplates).Assembly;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(Suffix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            sources[resource[Prefix.Length..^Suffix.Length]] = reader.ReadToEnd();
        }
        return sources.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
