using System.Net;

namespace Cog.Api.Tests.Identity;

/// <summary>The names of users, groups, roles, relays and relay groups follow one documented rule when created or renamed.</summary>
public class NameRulesTests
{
    const string Format = "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit";
    const string UsernameFormat = "may contain only letters, digits, '-', '_', '.', '@' and '+', and must start with a letter or digit";
    const string TooLong = "should be at most 128 character(s)";

    static readonly string Huge = new('g', 900 * 1024);

    public static TheoryData<string, string, string, string> Refused => new()
    {
        // path, envelope, name, message
        { "/v1/groups", "group", Huge, TooLong },
        { "/v1/groups", "group", "ops team", Format },
        { "/v1/roles", "role", "dep\u0000loyer", Format },
        { "/v1/roles", "role", "-deployer", Format },
        { "/v1/relays", "relay", "\u0000", Format },
        { "/v1/relays", "relay", new string('r', 129), TooLong },
        { "/v1/relay_groups", "relay_group", "prod/eu", Format },
        { "/v1/users", "user", "bob\u202e", UsernameFormat },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_name_outside_the_rule_is_refused_with_422_naming_the_rule(string path, string envelope, string name, string message)
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        var fields = envelope == "user"
            ? new Dictionary<string, object> { ["username"] = name, ["password"] = "pw", ["email_address"] = "x@example.com" }
            : new Dictionary<string, object> { ["name"] = name };

        var (status, body) = await world.JsonAsync(HttpMethod.Post, path, admin, new Dictionary<string, object> { [envelope] = fields });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var field = envelope == "user" ? "username" : "name";
        Assert.Equal(message, body.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Names_within_the_rule_are_accepted_and_a_rename_is_checked_too()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        var longest = new string('a', 128);

        var group = await world.TextAsync(HttpMethod.Post, "/v1/groups", admin, new { group = new { name = "Ops_2.eu-west" } });
        var relay = await world.TextAsync(HttpMethod.Post, "/v1/relays", admin, new { relay = new { name = longest } });
        var user = await world.TextAsync(HttpMethod.Post, "/v1/users", admin, new { user = new { username = "ada+ops@example.com", password = "pw", email_address = "ada@example.com" } });
        var (renameStatus, renamed) = await world.JsonAsync(HttpMethod.Put, "/v1/groups/Ops_2.eu-west", admin, new { group = new { name = "ops\ttwo" } });

        Assert.Equal(HttpStatusCode.Created, group.Status);
        Assert.Equal(HttpStatusCode.Created, relay.Status);
        Assert.Equal(HttpStatusCode.Created, user.Status);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Format), (renameStatus, renamed.GetProperty("errors").GetProperty("name")[0].GetString()));
    }
}
