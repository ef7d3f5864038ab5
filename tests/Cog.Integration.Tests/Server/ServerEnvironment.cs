using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cog.Cli;
using Cog.Runtime.Identity;
using Cog.Integration.Tests.Support;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;

namespace Cog.Integration.Tests.Server;

/// <summary>
/// One whole Cog server in-process, as <c>./build.sh run</c> starts it but isolated: a temporary folder for its data,
/// free ports for the API and the embedded broker, dev mode serving a copy of <c>bundles/examples</c> from a local relay
/// process, the first-start administrator, and a cogctl home whose default profile logs in as that administrator.
/// </summary>
/// <remarks>One environment serves all the tests of a class (starting a server and its relay takes seconds), so every
/// test makes its own names and leaves the shared state (the audit chain, the example bundles) as it found it.</remarks>
sealed class ServerEnvironment : IAsyncDisposable
{
    /// <summary>How long the dev relay may take to start, download and announce the examples on a loaded machine.</summary>
    static readonly TimeSpan RelayLimit = TimeSpan.FromSeconds(90);

    readonly SemaphoreSlim _relayReady = new(1, 1);
    bool _relayAnnounced;
    int _names;

    ServerEnvironment(string root, CogServer server, CollectingLoggerFactory log, HttpClient http, BootstrapCredentials admin)
    {
        Root = root;
        Server = server;
        Log = log;
        Http = http;
        Admin = admin;
    }

    /// <summary>The temporary folder: data, the served bundle copies, the cogctl home.</summary>
    public string Root { get; }

    public CogServer Server { get; }

    /// <summary>What the server (and, through it, the dev relay) logged.</summary>
    public CollectingLoggerFactory Log { get; }

    /// <summary>An HTTP client for the API (no credentials attached; see <see cref="AdminToken"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>The administrator: the one this server's first start created, or the one given to <see cref="StartAsync"/>
    /// for a server joining a store another server bootstrapped.</summary>
    public BootstrapCredentials Admin { get; }

    /// <summary>The administrator's password.</summary>
    public string AdminPassword => Admin.Password;

    /// <summary>An API token of the administrator.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The folder of bundle folders the dev relay serves.</summary>
    public string Bundles => Path.Combine(Root, "bundles");

    /// <summary>The cogctl home whose <c>.cogctl</c> has the default profile <c>e2e</c> (the administrator).</summary>
    public string CliHome => Path.Combine(Root, "home");

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts a server; <paramref name="configure"/> chooses the store (and other settings);
    /// <paramref name="configureServices"/> adds to the server's container (a fake chat provider);
    /// <paramref name="admin"/> is the administrator when the store was bootstrapped before (by another server).</summary>
    public static async Task<ServerEnvironment> StartAsync(Action<ServerOptions, string> configure,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null, BootstrapCredentials? admin = null)
    {
        var root = Directory.CreateTempSubdirectory("cog-server-").FullName;
        var bundles = Directory.CreateDirectory(Path.Combine(root, "bundles")).FullName;
        foreach (var example in Directory.EnumerateDirectories(Path.Combine(RepositoryPaths.Root, "bundles", "examples")))
        {
            CopyBundle(example, Path.Combine(bundles, Path.GetFileName(example)));
        }

        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            InstanceName = "e2e",
            Api = { Urls = "http://127.0.0.1:0" },
            Broker = { Port = 0 },
            Dev = { Bundles = bundles },
        };
        configure(options, root);
        var log = new CollectingLoggerFactory();
        var server = await CogServer.StartAsync(options, log, TimeProvider.System, Token, configureServices);
        var http = new HttpClient { BaseAddress = server.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        var known = server.CreatedAdmin ?? admin;
        if (known is null)
        {
            await server.DisposeAsync();
            Assert.Fail("The store was bootstrapped before and no administrator was given.");
        }
        var environment = new ServerEnvironment(root, server, log, http, known);
        try
        {
            Directory.CreateDirectory(environment.CliHome);
            var profile = await environment.CogctlAsync("profile", "create", "e2e", server.ApiUrl.ToString(), known.Username, known.Password);
            Assert.Equal(0, profile.Code);
            environment.AdminToken = await environment.TokenAsync(known.Username, known.Password);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies a bundle folder without its build folders (bin/, obj/), keeping file modes.</summary>
    internal static void CopyBundle(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj"))
                continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true); // keeps the mode: the executables stay executable
        }
    }

    /// <summary>A name unique in this environment: <c>PREFIX-N</c>.</summary>
    public string NewName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}";

    // ---------------------------------------------------------------- cogctl

    /// <summary>What one cogctl run printed and returned.</summary>
    public sealed record CliResult(int Code, string Output, string Error)
    {
        public override string ToString() => $"exit {Code}\n--- stdout\n{Output}--- stderr\n{Error}";
    }

    /// <summary>Runs cogctl in-process with the administrator's default profile.</summary>
    public Task<CliResult> CogctlAsync(params string[] args) => CogctlInAsync(CliHome, "", args);

    /// <summary>Runs cogctl in-process with <paramref name="stdin"/> as its standard input.</summary>
    public Task<CliResult> CogctlWithInputAsync(string stdin, params string[] args) => CogctlInAsync(CliHome, stdin, args);

    /// <summary>Runs cogctl in-process with another home folder (another <c>~/.cogctl</c>).</summary>
    public static async Task<CliResult> CogctlInAsync(string home, string stdin, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var environment = new CogCtlEnvironment
        {
            Output = output,
            Error = error,
            Input = new StringReader(stdin),
            HomeDirectory = home,
            HttpTimeout = TimeSpan.FromSeconds(60),
        };
        var code = await CogCtl.RunAsync(args, environment, Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    // ---------------------------------------------------------------- the API

    /// <summary>A fresh API token for a user.</summary>
    public Task<string> TokenAsync(string username, string password) => ApiRequests.TokenAsync(Http, username, password, Token);

    /// <summary>Sends a JSON request (as the administrator unless another token is given) and reads the JSON answer
    /// (default when the answer is empty).</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body) =>
        SendAsync(method, path, body, AdminToken);

    public Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, string? token) =>
        ApiRequests.SendAsync(Http, method, path, body, token, Token);

    /// <summary>Runs a pipeline through <c>POST /v1/pipelines</c> and returns the <c>pipeline</c> object.</summary>
    public async Task<JsonElement> RunAsync(string pipeline, string? token = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline }, token ?? AdminToken);
        Assert.True(status == HttpStatusCode.OK, $"POST /v1/pipelines '{pipeline}' answered {(int)status}: {body}");
        return body.GetProperty("pipeline");
    }

    /// <summary>Waits until the dev relay serves every example bundle: a pipeline per bundle is retried until it succeeds
    /// (the relay process starts, downloads and announces in the background; until then the answer is that no relay
    /// serves the bundle).</summary>
    public async Task WaitForRelayAsync()
    {
        await _relayReady.WaitAsync(Token);
        try
        {
            if (_relayAnnounced)
                return;
            foreach (var probe in (string[])["echo-script:say ready", "echo-assembly:repeat ready", "hostnotes:motd", "shelldemo:context"])
                await WaitForRelayAsync(probe);
            _relayAnnounced = true;
        }
        finally
        {
            _relayReady.Release();
        }
    }

    /// <summary>Waits until the dev relay serves the bundle of <paramref name="probe"/>: the pipeline is retried until it
    /// succeeds (see <see cref="WaitForRelayAsync()"/>).</summary>
    public async Task WaitForRelayAsync(string probe)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            // Retried while no relay serves the bundle yet, and also after a failure: the first invocation of a
            // script compiles it, which can outlast the command's 5 s timeout on a loaded machine.
            var run = await RunAsync(probe);
            if (run.GetProperty("status").GetString() == "succeeded")
                return;
            Assert.True(watch.Elapsed < RelayLimit,
                $"'{probe}' did not succeed within {RelayLimit} of the dev relay's start: {run}\nServer log:\n{string.Join('\n', Log.Texts)}");
            await Task.Delay(100, Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _relayReady.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
