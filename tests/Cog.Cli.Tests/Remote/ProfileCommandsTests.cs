using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class ProfileCommandsTests
{
    [Fact]
    public async Task The_first_profile_becomes_the_default_and_the_file_is_private()
    {
        using var cli = new TestCli();

        var first = await cli.RunAsync("profile", "create", "local", "http://localhost:4000", "admin", "se#cret");
        var second = await cli.RunAsync("profile", "create", "prod", "https://cog.example.com", "ops", "pw");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(
            "[defaults]\nprofile = local\n\n[local]\npassword = \"se#cret\"\nurl = http://localhost:4000\nuser = admin\n\n[prod]\npassword = pw\nurl = https://cog.example.com\nuser = ops\n",
            cli.ReadConfig());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }
    }

    [Fact]
    public async Task Profile_lists_profiles_and_marks_the_default()
    {
        using var cli = new TestCli();
        cli.WriteConfig("[defaults]\nprofile = prod\n\n[prod]\nurl = https://cog.example.com\nuser = ops\npassword = pw\n\n[old]\nhost = legacy\nport = 4443\nsecure = true\nuser = admin\npassword = x\n");

        var text = await cli.RunAsync("profile");
        var json = await cli.RunAsync("profile", "--json");

        Assert.Equal("Profile: old\nUser: admin\nURL: https://legacy:4443\n\nProfile: prod (default)\nUser: ops\nURL: https://cog.example.com\n\n", text.Output);
        Assert.Equal("""[{"name":"old","url":"https://legacy:4443","user":"admin","default":false},{"name":"prod","url":"https://cog.example.com","user":"ops","default":true}]""" + "\n", json.Output);
    }

    [Fact]
    public async Task Profile_default_switches_the_default_and_rejects_unknown_names()
    {
        using var cli = new TestCli();
        await cli.RunAsync("profile", "create", "a", "http://a:4000", "u", "p");
        await cli.RunAsync("profile", "create", "b", "http://b:4000", "u", "p");

        var ok = await cli.RunAsync("profile", "default", "b");
        var missing = await cli.RunAsync("profile", "default", "zzz");

        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("[defaults]\nprofile = b\n", cli.ReadConfig(), StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"Error: Profile 'zzz' was not found in configuration file '{cli.ConfigPath}'\n", missing.Error);
    }

    [Fact]
    public async Task Remote_commands_use_the_chosen_profile_and_the_command_line_overrides_it()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/roles", 200, """{"roles":[]}""");
        using var cli = new TestCli();
        cli.WriteConfig($"[defaults]\nprofile = broken\n\n[broken]\nurl = http://127.0.0.1:1\nuser = x\npassword = y\n\n[good]\nurl = {server.Url}\nuser = admin\npassword = s3cret\n");
        cli.Variables["COGCTL_DEFAULT_PROFILE"] = "good";

        var viaEnvironment = await cli.RunAsync("role");
        var viaOptions = await cli.RunAsync("-p", "broken", "--url", server.Url, "-U", "other", "-P", "pw", "role");

        Assert.Equal((0, 0), (viaEnvironment.ExitCode, viaOptions.ExitCode));
        Assert.Equal("NAME  ID\n", viaEnvironment.Output);
        var logins = server.AllRequests.Where(r => r.PathAndQuery == "/v1/token").Select(r => r.Body).ToList();
        Assert.Equal(["""{"username":"admin","password":"s3cret"}""", """{"username":"other","password":"pw"}"""], logins);
    }

    [Fact]
    public async Task The_config_file_comes_from_the_option_or_the_environment()
    {
        using var cli = new TestCli();
        var elsewhere = Path.Combine(cli.Home, "elsewhere.ini");
        cli.Variables["COGCTL_CONFIG_FILE"] = elsewhere;

        await cli.RunAsync("profile", "create", "a", "http://a:4000", "u", "p");
        var other = Path.Combine(cli.Home, "other.ini");
        await cli.RunAsync("--config-file", other, "profile", "create", "b", "http://b:4000", "u", "p");

        Assert.True(File.Exists(elsewhere));
        Assert.True(File.Exists(other));
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Theory]
    [InlineData("[a]\nurl = x\n", "it has no [defaults] section naming the default profile")]
    [InlineData("[defaults]\nprofile = gone\n", "the default profile 'gone' has no section")]
    [InlineData("what\n", "line 1 is neither a [section], a key = value line nor a comment")]
    public async Task An_invalid_config_file_is_a_usage_error(string text, string reason)
    {
        using var cli = new TestCli();
        cli.WriteConfig(text);

        var result = await cli.RunAsync("user");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Error: The given configuration file '{cli.ConfigPath}' is not valid: {reason}\n", result.Error);
    }

    [Fact]
    public async Task Without_a_profile_or_url_remote_commands_say_how_to_configure_one()
    {
        using var cli = new TestCli();

        var result = await cli.RunAsync("user");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Error: no Cog server to talk to: give --url, or create a profile in '{cli.ConfigPath}' (cogctl profile create NAME URL USER PASSWORD, or cogctl bootstrap URL)\n", result.Error);
    }
}
