using System.Security.Cryptography;
using System.Text;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Organizations.Domain;

/// <summary>
/// A random spot check (随机抽查): K organizations picked from the candidates with a recorded seed. The pick ranks each
/// candidate by SHA-256 of "seed:id" and takes the K lowest, so anyone with the seed and the candidate list can
/// reproduce it with any tool, and the result does not depend on the candidates' order.
/// </summary>
public sealed class SpotCheck
{
    public const int SeedMaxLength = 100;
    public const int MaxCount = 1000;

    public Guid Id { get; private set; }
    public string Seed { get; private set; } = "";
    public int Count { get; private set; }
    public OrganizationKind? Kind { get; private set; }
    public List<Guid> CandidateIds { get; private set; } = [];
    public List<Guid> PickedIds { get; private set; } = [];
    public DateTimeOffset DrawnAt { get; private set; }
    /// <summary>The officer who drew it (token subject), for the audit.</summary>
    public string DrawnBy { get; private set; } = "";

    private SpotCheck() { }

    /// <summary>Draws <paramref name="count"/> of <paramref name="candidates"/>; a seed is generated when none is given.</summary>
    public static Validated<SpotCheck> Draw(int? count, string? seed, OrganizationKind? kind, IReadOnlyCollection<Guid> candidates, string drawnBy, DateTimeOffset now)
    {
        now = now.ToDatabasePrecision();
        var errors = new FieldErrors();
        var k = errors.Required("count", count);
        if (count is < 1 or > MaxCount)
        {
            errors.Add("count", $"count must be between 1 and {MaxCount}.");
        }
        var chosenSeed = errors.OptionalText("seed", seed, SeedMaxLength) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        if (errors.Any)
        {
            return Validated<SpotCheck>.Invalid(errors);
        }
        return Validated<SpotCheck>.Ok(new SpotCheck
        {
            Id = Guid.CreateVersion7(now),
            Seed = chosenSeed,
            Count = k,
            Kind = kind,
            CandidateIds = [.. candidates.Order()],
            PickedIds = [.. Pick(candidates, chosenSeed, k)],
            DrawnAt = now,
            DrawnBy = drawnBy,
        });
    }

    /// <summary>The pick, in rank order; all candidates when there are fewer than <paramref name="count"/>.</summary>
    public static IReadOnlyList<Guid> Pick(IEnumerable<Guid> candidates, string seed, int count) =>
        [.. candidates.Distinct().OrderBy(id => Rank(seed, id), StringComparer.Ordinal).Take(count)];

    /// <summary>Whether the recorded pick is what the recorded seed and candidates give.</summary>
    public bool IsReproducible() => Pick(CandidateIds, Seed, Count).SequenceEqual(PickedIds);

    /// <summary>Lower-case hex SHA-256 of "seed:id" (id in its 36-character form).</summary>
    public static string Rank(string seed, Guid id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{id:D}")));
}
