namespace Cog.Manifest.Tests;

/// <summary>Bad input never throws: damaged copies of every fixture yield errors or a manifest, nothing else.</summary>
public class ManifestRobustnessTests
{
    static readonly char[] Noise = ":-[]{}\"'\t\n&*!%|>?#,@` \\~=0.".ToCharArray();

    [Fact]
    public void Damaged_fixtures_never_throw()
    {
        var fixtures = Directory.EnumerateFiles(RepositoryPaths.Fixtures(), "*.*", SearchOption.AllDirectories)
            .Where(ManifestLoader.HasManifestExtension)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToArray();
        var random = new Random(20240611); // fixed: a failure must reproduce

        for (var i = 0; i < 3000; i++)
        {
            var text = Damage(fixtures[random.Next(fixtures.Length)], random);

            var result = ManifestLoader.Parse(text, "damaged.yaml");

            Assert.True(result.Succeeded != (result.Errors.Length > 0), text);
            Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, $"{e} in:\n{text}"));
        }
    }

    [Theory]
    [InlineData("name: !!str[ deploy\n", 1, 7)]
    [InlineData("cog_bundle_version: 6\nname: deploy\ndescription: !!str[\n", 3, 14)]
    [InlineData("name: !<tag:yaml.org,2002:str[> deploy\n", 1, 7)]
    public void A_malformed_tag_is_a_positioned_error(string text, int line, int column)
    {
        var result = ManifestLoader.Parse(text, "tagged.yaml");

        var error = Assert.Single(result.Errors);
        Assert.False(result.Succeeded);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
    }

    static string Damage(string text, Random random)
    {
        var chars = text.ToList();
        for (var edits = random.Next(1, 12); edits > 0; edits--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                default:
                    if (at < chars.Count)
                    {
                        chars[at] = Noise[random.Next(Noise.Length)];
                    }
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
