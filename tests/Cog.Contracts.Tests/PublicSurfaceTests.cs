using System.Reflection;
using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests;

/// <summary>Everything that crosses a process boundary is immutable and closed.</summary>
public class PublicSurfaceTests
{
    static readonly Type[] PublicTypes = typeof(ProtocolMessage).Assembly.GetExportedTypes();

    static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    [Fact]
    public void The_contracts_depend_on_the_base_class_library_only()
    {
        var outside = typeof(ProtocolMessage).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n is not ("netstandard" or "mscorlib") && !n.StartsWith("System", StringComparison.Ordinal));

        Assert.Empty(outside);
    }

    [Fact]
    public void The_assembly_has_public_types()
    {
        Assert.Contains(typeof(InvocationRequest), PublicTypes);
        Assert.Contains(typeof(Topics), PublicTypes);
    }

    [Fact]
    public void No_public_type_has_a_public_setter_other_than_init()
    {
        var mutable = PublicTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(mutable);
    }

    [Fact]
    public void No_public_type_has_a_public_mutable_field()
    {
        var fields = PublicTypes
            .Where(t => !t.IsEnum)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly)
            .Select(f => $"{f.DeclaringType!.Name}.{f.Name}");

        Assert.Empty(fields);
    }

    [Fact]
    public void Every_public_type_is_sealed_abstract_static_or_an_enum()
    {
        var open = PublicTypes.Where(t => !t.IsSealed && !t.IsAbstract && !t.IsEnum && !t.IsInterface).Select(t => t.Name);

        Assert.Empty(open);
    }

    [Fact]
    public void Every_message_is_a_sealed_record_of_the_protocol()
    {
        var messages = PublicTypes.Where(t => t.IsSubclassOf(typeof(ProtocolMessage))).ToArray();

        Assert.Equal(8, messages.Length);
        Assert.All(messages, t =>
        {
            Assert.True(t.IsSealed, t.Name);
            Assert.NotNull(t.GetMethod("<Clone>$"));
        });
    }

    [Fact]
    public void Only_this_assembly_can_derive_a_message()
    {
        var constructors = typeof(ProtocolMessage).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(c => c.GetParameters() is not [{ ParameterType: var p }] || p != typeof(ProtocolMessage));

        Assert.All(constructors, c => Assert.True(c.IsFamilyAndAssembly, c.ToString()));
    }
}
