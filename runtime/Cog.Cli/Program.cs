using Cog.Cli;

return CogCtl.Run(args, Console.Out, Console.Error);
