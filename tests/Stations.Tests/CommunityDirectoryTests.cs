using Platform.TestSupport;

namespace Platform.Stations.Tests;

/// <summary>The stations service's local copy of communities: the shared contract, run against this service.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class CommunityDirectoryTests(LocalInfrastructure infrastructure)
    : CommunityDirectoryContract<Program>(infrastructure, "stations");
