using System.Reflection;

namespace Platform.AppHost.Infrastructure;

/// <summary>
/// Starts a project from the assembly its build already produced (<c>dotnet &lt;assembly&gt;.dll</c>) instead of through
/// <c>dotnet run --no-build</c>. Both run the same build output with the same environment (the app host applies the
/// launch profile itself); <c>dotnet run</c> first evaluates the project with MSBuild, about 1 s of CPU per project,
/// which with eight projects starting at once on two cores delayed the whole platform by about 4 s.
/// </summary>
public static class BuiltProjects
{
    /// <summary>
    /// Runs the project's built assembly from its output folder for the app host's own configuration (the app host's
    /// build builds every project it references). Without that output (a project not built yet) the resource keeps
    /// the default launch through <c>dotnet run</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> RunBuiltAssembly(this IResourceBuilder<ProjectResource> project)
    {
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // A published project is built into its image; this machine's build output means nothing there.
            return project;
        }
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var configuration = project.ApplicationBuilder.AppHostAssembly?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        if (BuiltAssembly(projectDirectory, configuration) is not { } assembly)
        {
            return project;
        }
        // The working directory stays the project's, as under dotnet run: the content root (appsettings.json) is the same.
        return project
            .WithAnnotation(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = projectDirectory }, ResourceAnnotationMutationBehavior.Replace)
            .WithArgs(assembly);
    }

    /// <summary>The entry assembly in <c>bin/&lt;configuration&gt;/&lt;framework&gt;/</c>: the one with a runtime configuration next to it.</summary>
    internal static string? BuiltAssembly(string projectDirectory, string? configuration)
    {
        var output = Path.Combine(projectDirectory, "bin", configuration ?? "Debug");
        if (!Directory.Exists(output))
        {
            return null;
        }
        // Top level of each framework folder only: tools copied into subfolders (EF's BuildHost) have their own.
        var entries = Directory.GetDirectories(output)
            .SelectMany(framework => Directory.GetFiles(framework, "*.runtimeconfig.json"))
            .Select(config => config[..^".runtimeconfig.json".Length] + ".dll")
            .Where(File.Exists)
            .ToList();
        return entries.Count == 1 ? entries[0] : null;
    }
}
