using Cog.Language.Resolution;

namespace Cog.Language.Tests.Resolution;

public class ExpansionStackTests
{
    static ExpansionStack Pushed(params string[] names)
    {
        var stack = new ExpansionStack(5);
        foreach (var name in names)
        {
            Assert.Null(stack.Push(name));
        }
        return stack;
    }

    [Fact]
    public void Five_names_fit_and_a_sixth_new_name_exceeds_the_limit_from_the_outermost()
    {
        var stack = Pushed("a", "b", "c", "d", "e");
        Assert.True(stack.IsFull);
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'a'.", stack.Push("f"));
    }

    [Fact]
    public void Failed_push_leaves_the_stack_unchanged()
    {
        var stack = Pushed("a", "b", "c", "d", "e");
        Assert.NotNull(stack.Push("f"));
        stack.Pop("e");
        Assert.Null(stack.Push("f"));
    }

    [Fact]
    public void Popping_frees_a_level()
    {
        var stack = Pushed("a", "b", "c", "d", "e");
        stack.Pop("e");
        Assert.False(stack.IsFull);
        Assert.Null(stack.Push("x"));
    }

    [Fact]
    public void Popped_name_pushed_again_becomes_the_newest_entry()
    {
        // a, b(1) ... b removed, then pushed again after c: entries a:2, c:2, b:1 in that order.
        var stack = Pushed("a", "b");
        stack.Pop("b");
        Assert.Null(stack.Push("c"));
        Assert.Null(stack.Push("a"));
        Assert.Null(stack.Push("c"));
        Assert.Null(stack.Push("b"));
        Assert.Equal("Infinite alias expansion loop detected 'b' -> 'a'.", stack.Push("a"));
    }

    [Fact]
    public void Repeated_name_with_equal_counts_exceeds_the_limit()
    {
        var stack = Pushed("s", "s", "s", "s", "s");
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 's'.", stack.Push("s"));
    }

    [Fact]
    public void Popping_a_name_not_pushed_is_a_bug() =>
        Assert.Throws<InvalidOperationException>(() => Pushed("a").Pop("b"));
}
