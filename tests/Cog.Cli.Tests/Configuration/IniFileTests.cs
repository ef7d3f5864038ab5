using Cog.Cli.Configuration;

namespace Cog.Cli.Tests.Configuration;

public class IniFileTests
{
    [Fact]
    public void Values_are_read_with_quotes_and_comments_removed()
    {
        var file = IniFile.Parse("# cogctl\n[defaults]\nprofile = prod  # the default\n\n[prod]\npassword = \"pa#ss, word\"\nurl=https://cog:4000\nuser = 'admin'\n", out var problem)!;

        Assert.Null(problem);
        Assert.Equal(["defaults", "prod"], file.Sections());
        Assert.Equal("prod", file.Get("defaults", "profile"));
        Assert.Equal("pa#ss, word", file.Get("prod", "password"));
        Assert.Equal("https://cog:4000", file.Get("prod", "url"));
        Assert.Equal("admin", file.Get("prod", "user"));
        Assert.Null(file.Get("prod", "missing"));
    }

    [Fact]
    public void Setting_values_keeps_comments_and_other_sections()
    {
        var file = IniFile.Parse("# keep me\n[defaults]\nprofile = a\n\n[a]\nuser = x\n", out _)!;

        file.Set("a", "user", "y");
        file.Set("a", "password", "p#1");
        file.Set("b", "url", "http://b:4000");

        Assert.Equal("# keep me\n[defaults]\nprofile = a\n\n[a]\nuser = y\npassword = \"p#1\"\n\n[b]\nurl = http://b:4000\n", file.ToString());
    }

    [Fact]
    public void A_line_that_is_not_ini_is_reported_with_its_number()
    {
        Assert.Null(IniFile.Parse("[a]\nuser = x\nnonsense\n", out var problem));
        Assert.Equal("line 3 is neither a [section], a key = value line nor a comment", problem);
    }
}
