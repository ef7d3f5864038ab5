// Unbounded recursion: a stack overflow ends the process it runs in.
int Recurse(int depth) => depth == int.MaxValue ? depth : Recurse(depth + 1) + 1;
return new { depth = Recurse(0) };
