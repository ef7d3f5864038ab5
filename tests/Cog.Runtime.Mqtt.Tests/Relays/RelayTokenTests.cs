using Cog.Runtime.Relays;

namespace Cog.Runtime.Mqtt.Tests.Relays;

/// <summary>Relay tokens (Cog.Runtime/Relays; tested here until Cog.Runtime has its own test project).</summary>
public sealed class RelayTokenTests
{
    [Fact]
    public void A_token_is_43_base64url_characters_and_never_repeats()
    {
        var first = RelayToken.Generate();
        var second = RelayToken.Generate();

        Assert.Equal(43, first.Length);
        Assert.All(first, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}'"));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_hash_verifies_its_token_only()
    {
        var token = RelayToken.Generate();
        var hash = RelayToken.Hash(token);

        Assert.True(RelayToken.Verify(token, hash));
        Assert.False(RelayToken.Verify(RelayToken.Generate(), hash));
        Assert.False(RelayToken.Verify(token[..^1], hash));
        Assert.False(RelayToken.Verify(null, hash));
    }

    [Fact]
    public void A_hash_is_salted_and_never_contains_the_token()
    {
        var token = RelayToken.Generate();

        var first = RelayToken.Hash(token);
        var second = RelayToken.Hash(token);

        Assert.NotEqual(first, second);
        Assert.Matches(@"^sha256\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$", first);
        Assert.DoesNotContain(token, first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData("sha256$$")]
    [InlineData("pbkdf2$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sha256$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sha256$AAAAAAAAAAAAAAAAAAAAAA==$not base64")]
    public void A_malformed_hash_verifies_nothing(string? hash)
    {
        Assert.False(RelayToken.Verify("token", hash));
        Assert.False(RelayToken.VerifyNothing("token"));
    }
}
