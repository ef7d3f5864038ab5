using Cog.Relay.Execution.Scripts;

namespace Cog.Relay.Tests.Execution.Scripts;

public class LoadedScriptTests
{
    static LoadedScript Load() =>
        LoadedScript.Load("test", ScriptCompiler.Compile("return null;", "t.csx", TestContext.Current.CancellationToken).Image!);

    [Fact]
    public void A_retired_version_is_unloaded_only_after_its_last_invocation()
    {
        var script = Load();
        Assert.True(script.TryAcquire());

        script.Retire();
        var whileRunning = script.IsUnloaded;
        script.Release();

        Assert.False(whileRunning);
        Assert.True(script.IsUnloaded);
        Assert.False(script.TryAcquire());
    }

    [Fact]
    public void An_idle_version_is_unloaded_when_retired()
    {
        var script = Load();

        script.Retire();

        Assert.True(script.IsUnloaded);
    }

    [Fact]
    public void A_damaged_image_is_refused()
    {
        Assert.Throws<BadImageFormatException>(() => LoadedScript.Load("bad", [1, 2, 3]));
    }
}
