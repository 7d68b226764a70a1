using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RealtimeApp.SocketIO.Hosting;

/// <summary>
/// Binding from configuration in which a value that does not convert (<c>SocketIO__MaxSessions=abc</c>) is a
/// validation failure like any other, instead of the binder's <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>
/// The binder stops at the first value it cannot convert and throws from inside the options factory, so
/// <c>ValidateOnStart</c> would report that one value, with a stack trace, and none of the other problems.
/// Here each such value is found first (the same conversion the binder does: the type's
/// <see cref="TypeConverter"/>, invariant culture), left out of the binding, and reported by the options'
/// <see cref="SettingsValidator{T}"/> as one line naming the key, the value and the expected syntax.
/// </remarks>
public static class CheckedConfigurationBinding
{
    private sealed record Binding(string Section, List<string> Lines);

    // Options instance → where it was bound from and what did not convert, for its validator to report.
    private static readonly ConditionalWeakTable<object, Binding> Bindings = new();

    /// <summary>
    /// As <c>BindConfiguration(section)</c>, but values that do not convert become validation failures. Binds by
    /// reflection, as <c>BindConfiguration</c> does: in trimmed or NativeAOT apps bind with the configuration
    /// binding source generator instead.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static OptionsBuilder<T> BindConfigurationChecked<T>(this OptionsBuilder<T> builder, string section) where T : class =>
        // A method group, not a call: the binding source generator leaves it alone (this is the reflection binder on purpose).
        builder.BindConfigurationChecked<T>(section, (Action<IConfiguration, object?>)ConfigurationBinder.Bind);

    /// <summary>
    /// As <see cref="BindConfigurationChecked{T}(OptionsBuilder{T}, string)"/>, binding with <paramref name="bind"/>
    /// (write it as <c>(c, o) =&gt; c.Bind(o)</c> with the configuration binding source generator on, and it is
    /// trim- and AOT-safe). Where reflection is available, values that do not convert are each reported as a
    /// validation failure line; in NativeAOT the binder's own error is (one line, the first such value).
    /// </summary>
    public static OptionsBuilder<T> BindConfigurationChecked<T>(this OptionsBuilder<T> builder, string section,
        Action<IConfiguration, T> bind) where T : class
    {
        builder.Configure<IConfiguration>((options, configuration) => Bind(options, configuration.GetSection(section), bind));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<T>>(services =>
            new ConfigurationChangeTokenSource<T>(builder.Name, services.GetRequiredService<IConfiguration>()));
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="TValidator"/> for <typeparamref name="T"/> (once, however often this is
    /// called) and validates <typeparamref name="T"/> when the host starts, before any server binds.
    /// </summary>
    public static IServiceCollection AddSettingsValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        services.AddOptions<T>().ValidateOnStart();
        return services;
    }

    internal static (string? Section, IReadOnlyList<string> Lines) BindingOf(object options) =>
        Bindings.TryGetValue(options, out var binding) ? (binding.Section, binding.Lines) : (null, []);

    private const string ReflectionMessage =
        "Binds options by reflection (ConfigurationBinder.Bind). Use the overload taking a bind delegate with the configuration binding source generator.";

    // The conversion check reads option types by reflection (their properties, TypeDescriptor converters), so it
    // runs only where there is dynamic code (not in NativeAOT: there the binder's own error is the one line). In a
    // trimmed JIT app it degrades safely: a property the trimmer removed is not found, so its key is not checked
    // here, and the binder (generated or not) still binds or reports it.
    [FeatureGuard(typeof(RequiresDynamicCodeAttribute))]
    internal static bool ReflectionChecks => System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;

    private static void Bind<T>(T options, IConfigurationSection section, Action<IConfiguration, T> bind) where T : class
    {
        var lines = new List<string>();
        var failed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (ReflectionChecks)
        {
            FindUnconvertibleWhereReflectionWorks(options.GetType(), section, lines, failed);
        }
        Bindings.AddOrUpdate(options, new Binding(section.Path, lines));

        IConfiguration source = section;
        if (failed.Count > 0)
        {
            source = new ConfigurationBuilder().AddInMemoryCollection(section.AsEnumerable(makePathsRelative: true)
                .Where(pair => pair.Key.Length > 0 && pair.Value is not null && !failed.Contains(pair.Key))).Build();
        }
        try
        {
            bind(source, options);
        }
        catch (InvalidOperationException ex)
        {
            // A shape this check does not model (say, a dictionary of TimeSpans): still one line, no stack trace.
            lines.Add(ex.Message);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Degrades safely when trimmed: see ReflectionChecks.")]
    [RequiresDynamicCode(ReflectionMessage)]
    private static void FindUnconvertibleWhereReflectionWorks(Type optionsType, IConfigurationSection section, List<string> lines, HashSet<string> failed) =>
        FindUnconvertible(optionsType, section, lines, failed);

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static void FindUnconvertible(Type optionsType, IConfigurationSection section, List<string> lines, HashSet<string> failed)
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null && key.Length > 0 && TargetType(optionsType, key.Split(':')) is { } type
                && !Converts(type, value))
            {
                failed.Add(key);
                lines.Add($"{section.Path}:{key} = \"{value}\": {Expected(type)}");
            }
        }
    }

    // The type a leaf key binds to (following properties, array and list indexes), or null when the binder
    // would ignore the key (no such property) or the type is not converted from a string.
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static Type? TargetType(Type type, string[] path)
    {
        foreach (var segment in path)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsScalar(type))
            {
                return null;
            }
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(segment, out _))
                {
                    return null;
                }
                type = element;
                continue;
            }
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }
            type = property.PropertyType;
        }
        return IsScalar(Nullable.GetUnderlyingType(type) ?? type) ? type : null;
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element]
          && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) ? element
        : null;

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(object) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    // What ConfigurationBinder.TryConvertValue does: empty is null for a nullable, else the type's converter.
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static bool Converts(Type type, string value)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (value.Length == 0)
            {
                return true;
            }
            type = underlying;
        }
        if (type == typeof(string) || type == typeof(object))
        {
            return true;
        }
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception) // converters throw FormatException, ArgumentException or NotSupportedException
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        var none = Nullable.GetUnderlyingType(type) is not null ? ", or empty for none" : "";
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(TimeSpan) =>
                $"must be a TimeSpan such as 00:00:30{none} ({SettingProblems.TimeSpanSyntax})",
            _ when type == typeof(bool) => $"must be true or false{none}",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) =>
                $"must be a whole number ({type.Name}){none}",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) =>
                $"must be a number such as 0.5 ({type.Name}){none}",
            { IsEnum: true } => $"must be one of {string.Join(", ", Enum.GetNames(type))}"
                + (type.IsDefined(typeof(FlagsAttribute)) ? " (several: comma-separated)" : "") + none,
            _ => $"must be a {type.Name}{none}",
        };
    }
}
