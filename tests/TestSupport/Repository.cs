namespace Platform.TestSupport;

/// <summary>The checked-out repository, for tests and benchmarks that read or write its files (docs, service content roots).</summary>
public static class Repository
{
    /// <summary>The folder holding <c>Platform.slnx</c>, found above the running assembly.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Platform.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Platform.slnx not found above " + AppContext.BaseDirectory);
    }
}
