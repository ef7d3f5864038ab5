// Reads a file on the relay host: forbidden (COG1001), reported where System.IO.File is named.
var path = Args.JoinText();
var secret = System.IO.File.ReadAllText(path);
return new { secret };
