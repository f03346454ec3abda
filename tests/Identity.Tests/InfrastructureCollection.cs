using Platform.TestSupport;

namespace Platform.Identity.Tests;

/// <summary>One PostgreSQL server and one RabbitMQ node for all of this project's HTTP tests (xunit needs the definition in each test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<LocalInfrastructure>
{
    public const string Name = "local infrastructure";
}
