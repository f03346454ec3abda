namespace Platform.Gateway.Tests.Organizations;

public sealed record Community(Guid Id, string Name);

public sealed record CommunityDraft(string Name);
