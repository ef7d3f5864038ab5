using Cog.Server.Composition;
using Cog.Server.Configuration;

namespace Cog.Server.Tests.Composition;

/// <summary><c>COG_SERVICES_ROOT</c> is the server's own URL: a pipeline's memory and service tokens live in the server
/// that runs it, so a command must not be sent through the load balancer at <c>Cog:Api:PublicUrl</c>.</summary>
public sealed class ServicesUrlTests
{
    [Fact]
    public void Behind_a_load_balancer_commands_reach_the_server_at_its_listening_address()
    {
        var api = new ApiOptions { Urls = "http://10.0.0.7:4000", PublicUrl = "https://cog.example.com" };

        Assert.Equal(new Uri("http://10.0.0.7:4000"), CogServer.OwnUrl(api, ["http://10.0.0.7:4000"]));
    }

    [Fact]
    public void The_internal_url_when_set_is_the_services_root()
    {
        var api = new ApiOptions { Urls = "http://0.0.0.0:4000", PublicUrl = "https://cog.example.com", InternalUrl = "http://cog-b.internal:4000" };

        Assert.Equal(new Uri("http://cog-b.internal:4000"), CogServer.OwnUrl(api, ["http://0.0.0.0:4000"]));
    }

    [Theory]
    [InlineData("http://0.0.0.0:4000")]
    [InlineData("http://[::]:4000")]
    public void A_wildcard_listening_address_falls_back_to_the_public_url(string listening)
    {
        var api = new ApiOptions { Urls = listening, PublicUrl = "https://cog.example.com" };

        Assert.Equal(new Uri("https://cog.example.com"), CogServer.OwnUrl(api, [listening]));
    }

    [Fact]
    public void A_bad_internal_url_is_a_start_up_error_naming_the_setting()
    {
        var options = new ServerOptions { Api = { InternalUrl = "cog-b:4000" } };

        var errors = ServerOptionsValidator.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("Cog:Api:InternalUrl 'cog-b:4000' is not an http:// or https:// URL", StringComparison.Ordinal));
    }
}
