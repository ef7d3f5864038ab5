// The variable is misspelled on line 3: error CS0103 at column 21.
var text = Args.JoinText();
return new { text = txet };
