// Spins without looking at CancellationToken: only the worker's kill stops it.
var spins = 0L;
while (spins >= 0)
{
    spins = (spins + 1) % long.MaxValue;
}
return new { spins };
