using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public class BootstrapCommandTests
{
    [Fact]
    public async Task Bootstrap_prints_the_credentials_once_and_writes_a_default_profile()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/bootstrap", 200, """{"bootstrap":{"username":"admin","password":"Zx9-generated"}}""");
        using var cli = new TestCli();

        var result = await cli.RunAsync("bootstrap", server.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Bootstrapping the server\nUsername:  admin\nPassword:  Zx9-generated\nProfile '127.0.0.1' written to {cli.ConfigPath}\n", result.Output);
        Assert.Equal($"[defaults]\nprofile = 127.0.0.1\n\n[127.0.0.1]\npassword = Zx9-generated\nurl = {server.Url}\nuser = admin\n", cli.ReadConfig());
        var request = Assert.Single(server.AllRequests);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task Bootstrapping_twice_reports_the_servers_refusal()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/bootstrap", 423, """{"errors":{"bootstrap":"Already bootstrapped"}}""");
        using var cli = new TestCli();

        var result = await cli.RunAsync("bootstrap", server.Url);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("Error: Already bootstrapped\n", result.Error);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Theory]
    [InlineData("true", "Status: bootstrapped\n")]
    [InlineData("false", "Status: Not bootstrapped\n")]
    public async Task Bootstrap_status_only_asks(string status, string expected)
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bootstrap", 200, $"{{\"bootstrap\":{{\"bootstrap_status\":{status}}}}}");
        using var cli = new TestCli();

        var result = await cli.RunAsync("bootstrap", "--status", server.Url);

        Assert.Equal((0, expected), (result.ExitCode, result.Output));
        Assert.Equal("GET", Assert.Single(server.AllRequests).Method);
    }
}
