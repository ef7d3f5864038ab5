using System.Text.Json.Nodes;
using Cog.Cli.Api;
using Cog.Cli.Output;

namespace Cog.Cli.Remote;

/// <summary>One command's view of the run: where to write, whether <c>--json</c> was asked, the API client, and the
/// shared ways to fail and to confirm.</summary>
sealed class Session(CogCtlEnvironment environment, bool json, bool verbose, string configPath)
{
    ApiClient? _api;

    public CogCtlEnvironment Environment { get; } = environment;

    public TextWriter Output => Environment.Output;

    public TextWriter Error => Environment.Error;

    public bool Json { get; } = json;

    public bool Verbose { get; } = verbose;

    public string ConfigPath { get; } = configPath;

    /// <summary>The certificate authorities of <c>--ca-file</c> for a local action that reaches a server (bootstrap), or
    /// null for the system's.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? Authorities { get; set; }

    /// <summary>The client for the chosen server (set before a remote action runs).</summary>
    public ApiClient Api
    {
        get => _api ?? throw new InvalidOperationException("The command is not connected to a server.");
        set => _api = value;
    }

    /// <summary>Prints <c>Error: message</c> on standard error and returns <paramref name="exitCode"/>.</summary>
    public int Fail(string message, int exitCode)
    {
        Error.WriteLine($"Error: {message}");
        return exitCode;
    }

    /// <summary>Reports a failed request.</summary>
    public int Fail(ApiResult result) => Fail(result.Failure!.Message, result.Failure.ExitCode);

    /// <summary>Reports cogctl being called wrongly (exit code 2).</summary>
    public int Usage(string message) => Fail(message, ExitCodes.Usage);

    /// <summary>Prints a JSON document (the envelope's content) on one line; nothing when there is none (204).</summary>
    public int WriteJson(JsonNode? node)
    {
        if (node is not null)
        {
            JsonOutput.WriteNode(Output, node);
        }
        return ExitCodes.Success;
    }

    /// <summary>Prints <paramref name="json"/> with --json, else the text <paramref name="text"/> builds.</summary>
    public int Write(JsonNode? json, Func<string> text)
    {
        if (Json)
        {
            return WriteJson(json);
        }
        Output.Write(text());
        return ExitCodes.Success;
    }

    /// <summary>Asks "Are you sure?" unless <paramref name="yes"/>; null to go ahead, else the exit code to stop with.
    /// Without a terminal, refuses unless <paramref name="yes"/>.</summary>
    public int? Confirm(bool yes)
    {
        if (yes)
        {
            return null;
        }
        if (!Environment.IsInteractive)
        {
            return Usage(RemoteErrors.ConfirmNeedsYes);
        }
        Error.Write(RemoteErrors.Confirm);
        var answer = Environment.Input.ReadLine()?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return Fail(RemoteErrors.Aborted, ExitCodes.Failure);
    }
}
