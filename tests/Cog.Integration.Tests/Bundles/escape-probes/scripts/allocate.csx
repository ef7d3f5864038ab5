// Allocates and touches 3 GB, 64 MB at a time.
var kept = new List<byte[]>();
for (var i = 0; i < 48; i++)
{
    var chunk = new byte[64 << 20];
    for (var page = 0; page < chunk.Length; page += 4096)
    {
        chunk[page] = 1;
    }
    kept.Add(chunk);
}
return new { allocatedMb = kept.Count * 64 };
