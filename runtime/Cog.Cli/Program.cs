using Cog.Cli;

return await CogCtl.RunAsync(args, CogCtlEnvironment.FromConsole());
