namespace Cog.Runtime.Pipeline;

/// <summary>A stored object the server could not load (it is skipped, and fails closed), as the log, the readiness
/// check and the web console report it.</summary>
/// <param name="Kind"><c>rule</c> (a stored rule that does not parse: its command is refused) or <c>bundle</c> (the
/// stored manifest of an enabled bundle version that does not validate: its manifest settings, such as command
/// timeouts, are not applied).</param>
/// <param name="Id">The rule's id, or the bundle's <c>name version</c>.</param>
/// <param name="Error">What is wrong, with the position of the first error.</param>
public sealed record StoredObjectProblem(string Kind, string Id, string Error);
