using Platform.TestSupport;

namespace Platform.Rights.Tests;

/// <summary>The rights service's local copy of communities: the shared contract, run against this service.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class CommunityDirectoryTests(LocalInfrastructure infrastructure)
    : CommunityDirectoryContract<Program>(infrastructure, "rights");
