using Cog.Runtime.Storage;

namespace Cog.Storage.Tests;

public sealed class StoreIdTests
{
    [Fact]
    public void Ids_made_one_after_another_sort_in_the_order_they_were_made_even_within_a_millisecond()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => StoreId.New()).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_are_version_7_uuids_with_the_rfc_variant_and_the_current_time()
    {
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var id = Guid.Parse(StoreId.New());
        var bytes = id.ToByteArray(bigEndian: true);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, bytes[8] >> 6);
        var milliseconds = (long)((ulong)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
        Assert.InRange(milliseconds, before, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() + 1);
        Assert.Equal(id.ToString(), id.ToString().ToLowerInvariant());
    }
}
