using Cog.Runtime.Identity;

namespace Cog.Runtime.Tests.Identity;

public class PasswordHasherTests
{
    static readonly PasswordHasher Hasher = new(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });

    [Fact]
    public void A_hash_verifies_its_password_and_no_other()
    {
        var hash = Hasher.Hash("correct horse");

        Assert.StartsWith("$2", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", hash, StringComparison.Ordinal);
        Assert.True(Hasher.Verify("correct horse", hash));
        Assert.False(Hasher.Verify("correct horsf", hash));
        Assert.NotEqual(hash, Hasher.Hash("correct horse"));
    }

    [Fact]
    public void The_uri_decoded_password_is_accepted_too()
    {
        var hash = Hasher.Hash("p@ss word;");

        Assert.True(Hasher.Verify("p%40ss%20word%3B", hash));
        Assert.False(Hasher.Verify("p%40ss%20wordX", hash));
    }

    [Fact]
    public void Passwords_longer_than_72_bytes_are_not_cut_short()
    {
        var prefix = new string('a', 80);
        var hash = Hasher.Hash(prefix + "1");

        Assert.False(Hasher.Verify(prefix + "2", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-hash")]
    [InlineData("$2a$04$tooshort")]
    public void A_malformed_hash_verifies_nothing(string hash) => Assert.False(Hasher.Verify("anything", hash));

    [Fact]
    public void Verifying_nothing_is_always_false() => Assert.False(Hasher.VerifyNothing("secret"));

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    public void A_work_factor_outside_bcrypts_range_is_refused(int factor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new PasswordHasherOptions { WorkFactor = factor }));

    [Fact]
    public void The_default_work_factor_is_11() => Assert.Equal(11, new PasswordHasherOptions().WorkFactor);
}
