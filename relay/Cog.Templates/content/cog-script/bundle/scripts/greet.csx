// greet: greets the person named by the arguments, or the caller, as { "greeting": "Hello, NAME!" }.
//   !hello-bundle:greet ada          -> { "greeting": "Hello, ada!" }
//   !hello-bundle:greet --shout ada  -> { "greeting": "HELLO, ADA!" }
var name = Args.Count > 0 ? Args.JoinText() : Context.User.Username;
var greeting = $"Hello, {name}!";
return new { greeting = Options.GetBoolean("shout") ? greeting.ToUpperInvariant() : greeting };
