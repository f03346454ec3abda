using Platform.TestSupport;

namespace Platform.ServiceDefaults.Tests.Kit;

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<LocalInfrastructure>
{
    public const string Name = "local infrastructure";
}
