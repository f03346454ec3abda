using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Data;

/// <summary>
/// Hands a service's <see cref="PersonalDataProtector"/> to its database context through the context's options, so a
/// context with encrypted columns takes only its options and can be pooled like every other service's context.
/// </summary>
public static class PersonalDataColumns
{
    /// <summary>Binds the context's encrypted columns to <paramref name="protector"/>, with a model of their own.</summary>
    public static TBuilder UsePersonalDataProtector<TBuilder>(this TBuilder options, PersonalDataProtector protector)
        where TBuilder : DbContextOptionsBuilder
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new PersonalDataOptionsExtension(protector));
        // The model holds the encrypting converters: one model per protector (per key), not one per context type, so
        // two services in one test process never share a key by way of EF's model cache.
        options.ReplaceService<IModelCacheKeyFactory, ProtectorModelCacheKey>();
        return options;
    }

    /// <summary>The protector the context's options carry; a context with encrypted columns cannot work without one.</summary>
    public static PersonalDataProtector PersonalDataProtector(this DbContextOptions options) =>
        options.FindExtension<PersonalDataOptionsExtension>()?.Protector
        ?? throw new InvalidOperationException(
            "This database has encrypted columns but no personal-data protector: register one with AddPersonalDataProtection().");

    private sealed class ProtectorModelCacheKey : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) =>
            (context.GetType(), context.GetService<IDbContextOptions>().FindExtension<PersonalDataOptionsExtension>()?.Protector, designTime);
    }
}

/// <summary>Carries the protector in the options; it adds no EF services.</summary>
internal sealed class PersonalDataOptionsExtension(PersonalDataProtector protector) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public PersonalDataProtector Protector => protector;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(PersonalDataOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "PersonalDataProtector ";

        // The protector lives in the model cache key, not in EF's internal services: contexts share one service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["Platform:PersonalDataProtector"] = "1";
    }
}
