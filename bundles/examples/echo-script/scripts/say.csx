// say: repeats its arguments as one item, { "text": "..." }.
//   !echo-script:say hello world         -> { "text": "hello world" }
//   !echo-script:say --upper hi          -> { "text": "HI" }
var text = Args.JoinText();
if (Options.GetBoolean("upper"))
{
    text = text.ToUpperInvariant();
}
return new { text };
