namespace Platform.Gateway.Tests.Stations;

/// <summary>A second "Community" schema, as another service would have one.</summary>
public sealed record Community(Guid Id);

public sealed record Station(Guid Id, string Name, Community Community);
