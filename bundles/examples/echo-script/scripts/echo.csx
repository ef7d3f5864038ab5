// echo: repeats its arguments as one item, { "text": "..." }.
//   !echo-script:echo hello world        -> { "text": "hello world" }
//   !echo-script:echo --upper hi         -> { "text": "HI" }
var text = Args.JoinText();
if (Options.GetBoolean("upper"))
{
    text = text.ToUpperInvariant();
}
return new { text };
