using System.Text.Json.Nodes;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Pipeline;

/// <summary>Service tokens and pipeline memory (operable/cog lib/cog/command/service/memory.ex: accum wraps a kept
/// non-list and starts from an empty list, join needs lists on both sides, keys belong to their pipeline and go when
/// it ends).</summary>
public sealed class CommandServicesTests
{
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    readonly RunningPipelines _pipelines;
    readonly CommandServices _services;

    public CommandServicesTests()
    {
        _pipelines = new RunningPipelines(_time);
        _services = new CommandServices(new Uri("http://cog.example:4000/"), _pipelines, _time);
    }

    [Fact]
    public void A_token_admits_its_pipeline_until_its_deadline_or_its_revocation()
    {
        using var grant = _services.Issue("p-1", _time.GetUtcNow().AddSeconds(30));
        var revoked = _services.Issue("p-2", _time.GetUtcNow().AddSeconds(30));
        revoked.Dispose();

        Assert.Equal("p-1", _services.Authenticate(grant.Endpoint.Token));
        Assert.Null(_services.Authenticate(revoked.Endpoint.Token));
        Assert.Null(_services.Authenticate("p-1"));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(_services.Authenticate(grant.Endpoint.Token));
    }

    [Fact]
    public void Accumulate_and_join_follow_cog_1_0()
    {
        var memory = _services.MemoryOf("p-1");

        memory.Replace("k", JsonValue.Create("water"));
        Assert.Equal("""["water","tea"]""", memory.Accumulate("k", JsonValue.Create("tea")).Value!.ToJsonString());
        Assert.Equal("""[["a"]]""", memory.Accumulate("fresh", new JsonArray("a")).Value!.ToJsonString());
        Assert.Equal("""["x","y"]""", memory.Join("new", new JsonArray("x", "y")).Value!.ToJsonString());
        memory.Replace("scalar", JsonValue.Create(1));
        Assert.Equal(MemoryStatus.NotAList, memory.Join("scalar", new JsonArray(2)).Status);
        Assert.Equal(MemoryStatus.NotAList, memory.Join("new", JsonValue.Create("z")).Status);
        Assert.Equal(MemoryStatus.UnknownKey, memory.Delete("missing").Status);
    }

    [Fact]
    public void A_pipelines_memory_is_its_own_and_goes_when_it_ends()
    {
        using (_pipelines.Start("p-1", new PipelineRequest("echo", Some.Alice, new PipelineRoom("ops", false)), CancellationToken.None))
        {
            _services.MemoryOf("p-1").Replace("k", JsonValue.Create("v"));
            Assert.False(_services.MemoryOf("p-2").TryGet("k", out _));
            Assert.True(_services.MemoryOf("p-1").TryGet("k", out _));
        }

        Assert.False(_services.MemoryOf("p-1").TryGet("k", out _));
    }

    [Fact]
    public void A_pipeline_keeps_at_most_its_share_of_memory()
    {
        var memory = _services.MemoryOf("p-1");
        var big = JsonValue.Create(new string('x', CommandServices.MaxBytesPerPipeline / 2));

        Assert.Equal(MemoryStatus.Ok, memory.Replace("a", big).Status);
        Assert.Equal(MemoryStatus.Full, memory.Replace("b", big).Status);
        Assert.Equal(MemoryStatus.Ok, memory.Replace("a", big).Status);
        Assert.Equal(MemoryStatus.Ok, memory.Delete("a").Status);
        Assert.Equal(MemoryStatus.Ok, memory.Replace("b", big).Status);
    }
}
