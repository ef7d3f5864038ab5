using Cog.BundleChecks;
using Cog.Manifest;
using Cog.Runtime.Bundles;

// cog-bundle-checker FOLDER: checks the unpacked bundle in FOLDER, whose manifest the caller validated already, and
// prints the result as a BundleCheckReport on standard output (paths relative to the bundle). Exit code 0 when the
// checks ran, whatever they found; 2 for bad usage or a manifest that does not load (its errors are reported too).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Cog.BundleChecker FOLDER");
    return 2;
}
var loaded = ManifestLoader.LoadDirectory(args[0]);
using var output = Console.OpenStandardOutput();
if (loaded.Manifest is not { } manifest)
{
    BundleCheckReport.Write(output, loaded.Errors, loaded.Warnings);
    return 2;
}
var (errors, warnings) = BundleCodeChecks.CheckFolder(args[0], "", manifest, CancellationToken.None);
BundleCheckReport.Write(output, errors, warnings);
return 0;
