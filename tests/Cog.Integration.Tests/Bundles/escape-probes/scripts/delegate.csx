// The review's bypass: Type.GetType reached through Delegate.CreateDelegate, naming nothing on the old deny list.
var getType = (Func<string, Type>)Delegate.CreateDelegate(typeof(Func<string, Type>), typeof(Type), "GetType");
var file = getType("System.IO.File");
return new { found = file?.FullName };
