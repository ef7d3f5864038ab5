namespace Cog.Cli.Tests.Support;

/// <summary>
/// Runs cogctl in-process against a temporary home folder (never the real ~/.cogctl), with scripted standard input
/// and a chosen terminal state. <see cref="ForServer"/> writes a default profile pointing at a fake server.
/// </summary>
sealed class TestCli : IDisposable
{
    public TestCli()
    {
        Home = Path.Combine(Path.GetTempPath(), "cogctl-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public string ConfigPath => Path.Combine(Home, ".cogctl");

    public string Stdin { get; set; } = "";

    public bool Interactive { get; set; }

    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>Secrets typed at the "terminal", in order.</summary>
    public Queue<string> Secrets { get; } = new();

    public static TestCli ForServer(FakeCogServer server)
    {
        var cli = new TestCli();
        cli.WriteConfig($"[defaults]\nprofile = test\n\n[test]\npassword = s3cret\nurl = {server.Url}\nuser = admin\n");
        return cli;
    }

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    public string ReadConfig() => File.ReadAllText(ConfigPath);

    public async Task<CogCtlRunner.Outcome> RunAsync(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var environment = new CogCtlEnvironment
        {
            Output = output,
            Error = error,
            Input = new StringReader(Stdin),
            IsInteractive = Interactive,
            ReadSecret = prompt => { error.Write(prompt); return Secrets.Count > 0 ? Secrets.Dequeue() : null; },
            GetEnvironmentVariable = name => Variables.GetValueOrDefault(name),
            HomeDirectory = Home,
            HttpTimeout = TimeSpan.FromSeconds(30),
        };
        var code = await CogCtl.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return new CogCtlRunner.Outcome(code, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
