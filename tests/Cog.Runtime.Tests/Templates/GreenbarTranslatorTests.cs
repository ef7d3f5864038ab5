using Cog.Runtime.Templates;

namespace Cog.Runtime.Tests.Templates;

public class GreenbarTranslatorTests
{
    [Theory]
    [InlineData("~$item.name~", "{{ item.name }}")]
    [InlineData("~$results[0].a~", "{{ results[0].a }}")]
    [InlineData("~length($results)~", "{{ results | size }}")]
    [InlineData("~each var=$results as=r~x~end~", "{% for r in results %}x{% endfor %}")]
    [InlineData("~each var=$results~x~end~", "{% for item in results %}x{% endfor %}")]
    [InlineData("~if cond=$x > 1~y~end~", "{% if x > 1 %}y{% endif %}")]
    [InlineData("~if cond=$x empty?~y~end~", "{% if x == empty or x == nil %}y{% endif %}")]
    [InlineData("~if cond=$x not_bound?~y~end~", "{% if x == nil %}y{% endif %}")]
    [InlineData("~if cond=$x == \"a b\"~y~end~", "{% if x == \"a b\" %}y{% endif %}")]
    [InlineData("~count var=$x~", "{{ x | count }}")]
    [InlineData("~json var=$x~", "{{ x | json }}")]
    [InlineData("~br~", "{% br %}")]
    [InlineData("~join var=$l with=\"; \"~~$item~~end~", "{% for item in l %}{{ item }}{% unless forloop.last %}; {% endunless %}{% endfor %}")]
    [InlineData("~attachment title=\"T\" color=red Owner=$o~b~end~", "{% attachment title: \"T\", color: \"red\", Owner: o %}b{% endattachment %}")]
    [InlineData("\\~not an instruction\\~", "~not an instruction~")]
    [InlineData("\\# not a comment", "# not a comment")]
    [InlineData("# a comment\ntext", "{% comment %}{% endcomment %}\ntext")]
    [InlineData("{{ not liquid }}", "{{ \"{\" | raw }}{ not liquid }}")]
    public void Greenbar_becomes_liquid(string greenbar, string liquid)
    {
        var translated = GreenbarTranslator.Translate(greenbar);
        Assert.Null(translated.Error);
        Assert.Equal(liquid, translated.Liquid);
    }

    [Theory]
    [InlineData("a\n~frobnicate x=1~", "Unknown tag 'frobnicate'", 2, 1)]
    [InlineData("~$x", TemplateErrors.MissingTilde, 1, 1)]
    [InlineData("x ~end~", TemplateErrors.UnexpectedEnd, 1, 3)]
    [InlineData("~each var=$x~\nbody", "Missing '~end~' for the 'each' tag", 1, 1)]
    [InlineData("~each as=y~~end~", "The 'each' tag needs 'var='", 1, 1)]
    [InlineData("~if cond=$x like 1~~end~", "Cannot translate the Greenbar expression '$x like 1'", 1, 1)]
    public void Untranslatable_greenbar_is_a_positioned_error(string greenbar, string message, int line, int column)
    {
        var error = GreenbarTranslator.Translate(greenbar).Error;
        Assert.Equal(new TemplateError(message, line, column), error);
    }
}
