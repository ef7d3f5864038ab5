using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cog.Language.Options;
using Cog.Sdk;

namespace Cog.Relay.Execution.Executables;

/// <summary>Builds the environment of an executable command: Cog 1.0's <c>COG_*</c> variables (with the
/// changes E1 and E2 of docs/bundles.md), the manifest's <c>env_vars</c> and the bundle's dynamic configuration.</summary>
/// <remarks>
/// <para>Sources, later ones winning: the few relay variables in <see cref="PassedThrough"/>; the command's
/// <c>env_vars</c>; the dynamic configuration (<see cref="CommandContext.Configuration"/>); Cog's own variables.
/// Keys starting with <c>COG_</c> or <c>RELAY_</c> are dropped from <c>env_vars</c> and configuration, so a bundle
/// can never fake Cog's variables.</para>
/// <para>Unlike Cog 1.0, which let commands inherit the relay's whole environment, only <see cref="PassedThrough"/>
/// crosses over (least privilege: the relay's own secrets, broker credentials and tokens, must not reach bundle
/// code). A bundle that needs more declares it in <c>env_vars</c> or in its dynamic configuration.</para>
/// <para>Pure function of its arguments; thread-safe.</para>
/// </remarks>
static class ExecutableEnvironment
{
    /// <summary>The relay variables a command inherits; every other relay variable is withheld.</summary>
    public static ImmutableArray<string> PassedThrough { get; } = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

    /// <summary>Reads <see cref="PassedThrough"/> from the relay process's environment (those that are set).</summary>
    public static ImmutableDictionary<string, string> ReadRelayEnvironment()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var name in PassedThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                builder[name] = value;
            }
        }
        return builder.ToImmutable();
    }

    /// <summary>The complete environment for <paramref name="invocation"/>.</summary>
    /// <param name="invocation">The invocation.</param>
    /// <param name="relayEnvironment">The relay's environment; only the <see cref="PassedThrough"/> names are taken from it.</param>
    public static Dictionary<string, string> Build(CommandInvocation invocation, IReadOnlyDictionary<string, string> relayEnvironment)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(relayEnvironment);
        var context = invocation.Context;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PassedThrough)
        {
            if (relayEnvironment.TryGetValue(name, out var value))
            {
                variables[name] = value;
            }
        }
        AddBundleVariables(variables, invocation.Command.EnvironmentVariables);
        AddBundleVariables(variables, context.Configuration);

        var arguments = context.Arguments;
        variables["COG_ARGC"] = arguments.Count.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < arguments.Count; i++)
        {
            variables[string.Create(CultureInfo.InvariantCulture, $"COG_ARGV_{i}")] = Text(arguments[i]);
        }
        AddOptions(variables, context.Options, invocation.Command.Options);

        variables["COG_BUNDLE"] = context.Bundle;
        variables["COG_COMMAND"] = context.Command;
        variables["COG_CHAT_HANDLE"] = context.User.ChatHandle;
        variables["COG_USERNAME"] = context.User.Username;
        variables["COG_EMAIL"] = context.User.Email ?? "";
        variables["COG_ROOM"] = context.Room.IsDirect ? "direct" : context.Room.Name;
        // E1: Cog 1.0's relay passed the stage index here; this is the pipeline id the name promises.
        variables["COG_PIPELINE_ID"] = context.PipelineId;
        variables["COG_INVOCATION_ID"] = context.InvocationId;
        // The W3C trace context (the OpenTelemetry convention for processes), so the command's own work joins the trace.
        if (context.TraceParent is { } traceParent)
        {
            variables["TRACEPARENT"] = traceParent;
            if (context.TraceState is { Length: > 0 } traceState)
            {
                variables["TRACESTATE"] = traceState;
            }
        }
        switch (context.Step)
        {
            case InvocationStep.First:
                variables["COG_INVOCATION_STEP"] = "first";
                break;
            case InvocationStep.Last:
                variables["COG_INVOCATION_STEP"] = "last";
                break;
        }
        if (invocation.Services is { } services)
        {
            // Scripts write "$COG_SERVICES_ROOT/v1/...": no trailing slash.
            variables["COG_SERVICES_ROOT"] = services.Root.ToString().TrimEnd('/');
            variables["COG_SERVICE_TOKEN"] = services.Token;
        }
        return variables;
    }

    /// <summary><paramref name="invocation"/> as its command may see it: without the services endpoint when the command
    /// has no network (a root it cannot reach would only fail later, less clearly); the command's log says why.</summary>
    public static CommandInvocation WithReachableServices(CommandInvocation invocation, bool hasNetwork)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (invocation.Services is null || hasNetwork)
        {
            return invocation;
        }
        invocation.Context.Log.Debug(ExecutableErrors.ServicesWithheld(invocation.Context.Bundle));
        return invocation with { Services = null };
    }

    /// <summary>An argument or option value as Cog 1.0 exports it: strings as they are, numbers and booleans as
    /// literals, objects and lists as compact JSON, null as the empty string.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number => value.GetRawText(),
        // WriteTo re-emits the tokens without indentation, whatever the source text looked like.
        _ => JsonSerializer.Serialize(value),
    };

    static void AddBundleVariables(Dictionary<string, string> variables, IEnumerable<KeyValuePair<string, string>> source)
    {
        foreach (var (name, value) in source)
        {
            if (IsAllowedBundleName(name) && !value.Contains('\0', StringComparison.Ordinal))
            {
                variables[name] = value;
            }
        }
    }

    // COG_ and RELAY_ belong to Cog (case-insensitively, for relays on Windows); '=' and NUL cannot be in a name.
    static bool IsAllowedBundleName(string name) =>
        name.Length > 0
        && !name.StartsWith("COG_", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("RELAY_", StringComparison.OrdinalIgnoreCase)
        && name.IndexOfAny(['=', '\0']) < 0;

    static void AddOptions(Dictionary<string, string> variables, CommandOptions options, ImmutableArray<OptionDefinition> definitions)
    {
        if (options.Count == 0)
        {
            // Cog 1.0: COG_OPTS is unset, not empty, when no option was given.
            return;
        }
        var names = new List<string>(options.Count);
        foreach (var (name, value) in options)
        {
            names.Add(name);
            var upper = name.ToUpperInvariant();
            var isList = value.ValueKind == JsonValueKind.Array || IsListOption(definitions, name);
            AddOption(variables, "COG_OPT_" + upper, value, isList);
            if (upper.Contains('-', StringComparison.Ordinal))
            {
                // E2: COG_OPT_DRY-RUN is not a shell identifier; COG_OPT_DRY_RUN is.
                AddOption(variables, "COG_OPT_" + upper.Replace('-', '_'), value, isList);
            }
        }
        variables["COG_OPTS"] = string.Join(',', names);
    }

    static void AddOption(Dictionary<string, string> variables, string prefix, JsonElement value, bool isList)
    {
        if (!isList)
        {
            variables[prefix] = Text(value);
            return;
        }
        var count = 0;
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                variables[string.Create(CultureInfo.InvariantCulture, $"{prefix}_{count++}")] = Text(element);
            }
        }
        else
        {
            // A list option given once arrives as a single value: a one-element list.
            variables[prefix + "_0"] = Text(value);
            count = 1;
        }
        variables[prefix + "_COUNT"] = count.ToString(CultureInfo.InvariantCulture);
    }

    static bool IsListOption(ImmutableArray<OptionDefinition> definitions, string name)
    {
        foreach (var definition in definitions)
        {
            if (definition.Name == name)
            {
                return definition.Type == OptionType.List;
            }
        }
        return false;
    }
}
