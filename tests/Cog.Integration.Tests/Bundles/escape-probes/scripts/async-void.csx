// An exception escapes an async void local function on the thread pool: in a process of its own, that process ends.
async void Boom()
{
    await Task.Yield();
    throw new InvalidOperationException("escaped from async void");
}
Boom();
await Task.Delay(2000, CancellationToken);
return new { survived = true };
