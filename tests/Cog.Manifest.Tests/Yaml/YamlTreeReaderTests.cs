using System.Text;
using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Tests.Yaml;

public class YamlTreeReaderTests
{
    static (YamlTree? Tree, string[] Errors) Read(string text)
    {
        var errors = new ErrorList("t.yaml");
        var tree = YamlTreeReader.Read(text, errors);
        return (tree, errors.ToSortedArray().Select(e => $"{e.Line}:{e.Column}: {e.Message} {e.Pointer}").ToArray());
    }

    [Fact]
    public void Quoted_and_block_scalars_are_text_and_plain_ones_are_typed()
    {
        var (tree, errors) = Read("a: 1\nb: '1'\nc: \"true\"\nd: |\n  5\ne: true\nf:\n");

        Assert.Empty(errors);
        Assert.Equal("""{"a":1,"b":"1","c":"true","d":"5\n","e":true,"f":null}""", tree!.Root!.ToJsonString());
    }

    [Fact]
    public void Every_value_is_located_by_its_json_pointer()
    {
        var (tree, _) = Read("name: x\ncommands:\n  run:\n    rules:\n      - allow\n      - 'must have x:y'\n");
        var map = tree!.Map;

        Assert.Equal((1, 7), (map.ValuePosition("/name").Line, map.ValuePosition("/name").Column));
        Assert.Equal((1, 1), (map.KeyPosition("/name").Line, map.KeyPosition("/name").Column));
        Assert.Equal((3, 3), (map.KeyPosition("/commands/run").Line, map.KeyPosition("/commands/run").Column));
        Assert.Equal((6, 9), (map.ValuePosition("/commands/run/rules/1").Line, map.ValuePosition("/commands/run/rules/1").Column));
    }

    [Fact]
    public void Unknown_pointer_falls_back_to_its_nearest_located_ancestor()
    {
        var (tree, _) = Read("a:\n  b: 1\n");

        Assert.Equal(2, tree!.Map.KeyPosition("/a/b/c/d").Line);
        Assert.Equal(1, tree.Map.KeyPosition("/zzz").Line);
    }

    [Fact]
    public void Json_text_is_read_with_positions()
    {
        var (tree, errors) = Read("{\n\t\"a\": [1, \"x\"],\n\t\"b\": {\"c\": null}\n}\n");

        Assert.Empty(errors);
        Assert.Equal("""{"a":[1,"x"],"b":{"c":null}}""", tree!.Root!.ToJsonString());
        Assert.Equal((2, 11), (tree.Map.ValuePosition("/a/1").Line, tree.Map.ValuePosition("/a/1").Column));
    }

    [Fact]
    public void Duplicate_keys_are_listed_and_the_last_value_is_kept_as_PyYAML_does()
    {
        var text = "a: 1\nb:\n  c: 2\n  c: [3]\na: 4\n";
        var errors = new ErrorList("config.yaml");

        var tree = YamlTreeReader.Read(text, errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal("""{"a":4,"b":{"c":[3]}}""", tree!.Root!.ToJsonString());
        Assert.Equal(["c /b/c 3:3 4:3", "a /a 1:1 5:1"],
            tree.Duplicates.Select(d => $"{d.Key} {d.Pointer} {d.First.Line}:{d.First.Column} {d.Again.Line}:{d.Again.Column}"));
        Assert.Equal(4, tree.Map.ValuePosition("/b/c").Line);
    }

    [Fact]
    public void Complex_keys_are_reported_and_skipped()
    {
        var (tree, errors) = Read("? [a, b]\n: c\nd: e\n");

        Assert.Equal(["1:3: A key must be a single value, not a list or a map. #"], errors);
        Assert.Equal("""{"d":"e"}""", tree!.Root!.ToJsonString());
    }

    [Fact]
    public void Syntax_error_is_located_and_ends_reading()
    {
        var (tree, errors) = Read("a: b\n c: d\n");

        Assert.Null(tree);
        Assert.Equal(["2:3: YAML syntax error: While scanning a plain scalar value, found invalid mapping. "], errors);
    }

    [Fact]
    public void Tab_indentation_is_a_syntax_error()
    {
        var (tree, errors) = Read("a:\n\t- b\n");

        Assert.Null(tree);
        Assert.Single(errors);
        Assert.StartsWith("1:1: YAML syntax error:", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_exhausting_the_stack()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);

        var (tree, errors) = Read(text);

        Assert.Null(tree);
        Assert.Equal(["1:65: The manifest nests lists and maps more than 64 levels deep. "], errors);
    }

    [Fact]
    public void Alias_expansion_is_bounded()
    {
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            text.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var (tree, errors) = Read(text.ToString());

        Assert.Null(tree);
        Assert.Single(errors);
        Assert.EndsWith("The manifest has more than 100000 values (after expanding aliases). ", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_copy_the_anchored_value()
    {
        var (tree, errors) = Read("a: &x {b: [1, 2]}\nc: *x\n");

        Assert.Empty(errors);
        Assert.Equal("""{"a":{"b":[1,2]},"c":{"b":[1,2]}}""", tree!.Root!.ToJsonString());
        Assert.NotSame(tree.Root["a"], tree.Root["c"]);
    }

    [Fact]
    public void Empty_text_has_no_document()
    {
        var (tree, errors) = Read("");

        Assert.Empty(errors);
        Assert.Null(tree!.Root);
    }

    [Fact]
    public void Core_tags_type_quoted_scalars()
    {
        var (tree, _) = Read("a: !!int '12'\nb: !!str 12\nc: ! 12\n");

        Assert.Equal("""{"a":12,"b":"12","c":"12"}""", tree!.Root!.ToJsonString());
    }

    [Fact]
    public void Root_is_a_json_object_for_a_map_document()
    {
        var (tree, _) = Read("a: 1\n");

        Assert.IsType<JsonObject>(tree!.Root);
    }
}
