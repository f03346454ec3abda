using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.Training.Data;

/// <summary>
/// For <c>dotnet ef migrations</c>: the model only needs the encrypted columns' converter, not the service's real key,
/// which exists only where the service runs.
/// </summary>
internal sealed class DesignTimeTrainingDb : IDesignTimeDbContextFactory<TrainingDb>
{
    public TrainingDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<TrainingDb>().UseNpgsql().UsePersonalDataProtector(new PersonalDataProtector(new byte[32])).Options);
}
