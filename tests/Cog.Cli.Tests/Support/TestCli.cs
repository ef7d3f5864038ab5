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

    /// <summary>The clock cogctl reads (relative times, progress, following).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Standard error is a terminal (progress is shown there).</summary>
    public bool ErrorIsTerminal { get; set; }

    /// <summary>Standard output is a terminal this wide; null: not a terminal.</summary>
    public int? TerminalWidth { get; set; }

    /// <summary>How often <c>audit list --follow</c> polls.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(2);

    public static TestCli ForServer(FakeCogServer server)
    {
        var cli = new TestCli();
        cli.WriteConfig($"[defaults]\nprofile = test\n\n[test]\npassword = s3cret\nurl = {server.Url}\nuser = admin\n");
        return cli;
    }

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    public string ReadConfig() => File.ReadAllText(ConfigPath);

    public Task<CogCtlRunner.Outcome> RunAsync(params string[] args) =>
        RunAsync(new StringWriter { NewLine = "\n" }, new StringWriter { NewLine = "\n" }, TestContext.Current.CancellationToken, args);

    /// <summary>Runs cogctl writing to <paramref name="output"/> and <paramref name="error"/> (which the test may read
    /// while it runs: give synchronized writers) until it ends or <paramref name="cancellationToken"/> stops it.</summary>
    public async Task<CogCtlRunner.Outcome> RunAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken, params string[] args)
    {
        using var _ = output;
        using var __ = error;
        var environment = new CogCtlEnvironment
        {
            Output = output,
            Error = error,
            Time = Time,
            ErrorIsTerminal = ErrorIsTerminal,
            TerminalWidth = TerminalWidth,
            FollowInterval = FollowInterval,
            Input = new StringReader(Stdin),
            IsInteractive = Interactive,
            ReadSecret = prompt => { error.Write(prompt); return Secrets.Count > 0 ? Secrets.Dequeue() : null; },
            GetEnvironmentVariable = name => Variables.GetValueOrDefault(name),
            HomeDirectory = Home,
            HttpTimeout = TimeSpan.FromSeconds(30),
        };
        var code = await CogCtl.RunAsync(args, environment, cancellationToken);
        return new CogCtlRunner.Outcome(code, output.ToString() ?? "", error.ToString() ?? "");
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}

/// <summary>A StringWriter a test may read while cogctl writes to it from another thread.</summary>
sealed class LockedWriter : StringWriter
{
    readonly Lock _lock = new();

    public LockedWriter() => NewLine = "\n";

    public override void Write(char value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void Write(string? value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
            base.Write(buffer, index, count);
    }

    public override string ToString()
    {
        lock (_lock)
            return base.ToString();
    }
}
