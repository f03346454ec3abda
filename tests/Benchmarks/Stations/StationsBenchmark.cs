extern alias stations;

using System.Diagnostics;
using System.Globalization;
using stations::Platform.Stations.Domain;
using stations::Platform.Stations.Application;

namespace Platform.Benchmarks.Stations;

/// <summary>
/// Nearby search of the stations service, in process: the grid index the service answers from against a full scan
/// over the same stations with the same queries (the answers are compared), at 100,000 and 1,000,000 stations.
/// Stations are spread uniformly over Hebei province (36.0-42.6 N, 113.4-119.9 E, about 190,000 km²), with random
/// amenities and a mix of day, night and 24-hour opening hours; queries are random points in the same area.
/// <c>dotnet run -c Release --project tests/Benchmarks -- stations [--sizes 100000,1000000] [--queries 20000] [--scans 200] [--radius 2000]</c>
/// </summary>
public static class StationsBenchmark
{
    private const double South = 36.0, North = 42.6, West = 113.4, East = 119.9;

    public static int Run(string[] args)
    {
        var sizes = new[] { 100_000, 1_000_000 };
        var queries = 20_000;
        var scans = 200;
        var radius = 2_000.0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--queries": queries = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--scans": scans = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--radius": radius = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        Console.WriteLine($"stations nearby search: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
        Console.WriteLine("| stations | query | index p50 µs | index p99 µs | index q/s | scan p50 µs | scan p99 µs | scan q/s | p50 ratio | mean hits | answers equal |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var size in sizes)
        {
            var random = new Random(size);
            var index = Build(size, random, out var buildTime, out var bytes);
            Console.Error.WriteLine($"{size:N0} stations indexed in {buildTime.TotalSeconds:F1} s, about {bytes / 1024 / 1024} MB");
            var at = new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.FromHours(8));
            foreach (var (label, required, openAt, r) in new (string, Amenity, DateTimeOffset?, double)[]
            {
                ($"{radius / 1000:0.#} km, limit 20", default, null, radius),
                ($"{radius / 1000:0.#} km, charging + open now", Amenity.Charging, at, radius),
                ("10 km, water, limit 20", Amenity.Water, null, 10_000),
            })
            {
                var points = Enumerable.Range(0, queries).Select(_ => Point(random)).ToArray();
                NearbyQuery Query((double Lat, double Lon) p) => new(p.Lat, p.Lon, r, required, openAt, 20);
                // Warm up (JIT, tiering) on other points.
                for (var w = 0; w < 2_000; w++)
                {
                    index.Nearby(Query(Point(random)));
                }
                var (indexTimes, indexElapsed, hits) = Measure(points, p => index.Nearby(Query(p)).Count);
                var scanPoints = points.Take(scans).ToArray();
                index.NearbyByFullScan(Query(scanPoints[0]));
                var (scanTimes, scanElapsed, _) = Measure(scanPoints, p => index.NearbyByFullScan(Query(p)).Count);
                var equal = scanPoints.All(p => index.Nearby(Query(p)).Select(h => h.Station.Id).SequenceEqual(index.NearbyByFullScan(Query(p)).Select(h => h.Station.Id)));
                var indexP50 = Percentile(indexTimes, 0.50);
                var scanP50 = Percentile(scanTimes, 0.50);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {size:N0} | {label} | {indexP50:F1} | {Percentile(indexTimes, 0.99):F1} | {queries / indexElapsed.TotalSeconds:N0} | {scanP50:F0} | {Percentile(scanTimes, 0.99):F0} | {scans / scanElapsed.TotalSeconds:N0} | {scanP50 / indexP50:N0}x | {(double)hits / queries:F1} | {(equal ? "yes" : "NO")} |"));
            }
        }
        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at end");
        return 0;
    }

    private static (double Lat, double Lon) Point(Random random) =>
        (South + (random.NextDouble() * (North - South)), West + (random.NextDouble() * (East - West)));

    private static StationIndex Build(int size, Random random, out TimeSpan elapsed, out long bytes)
    {
        OpeningHours Every(string opens, string closes) => new HoursDocument(
            [.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklyHours(d, opens, closes))], null).ToHours(new(), "hours")!;
        OpeningHours[] hours = [OpeningHours.AroundTheClock, Every("08:00", "20:00"), Every("18:00", "02:00"), Every("07:00", "22:00")];
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var started = Stopwatch.GetTimestamp();
        var index = new StationIndex();
        for (var i = 1; i <= size; i++)
        {
            var (lat, lon) = Point(random);
            var id = Guid.CreateVersion7();
            index.Apply(id, new StationPin(id, $"驿站{i}", HostType.StreetCommunity, Guid.Empty, "区", "地址", lat, lon,
                (Amenity)random.Next(0, 1 << 13), hours[random.Next(hours.Length)], i), i);
        }
        elapsed = Stopwatch.GetElapsedTime(started);
        bytes = GC.GetTotalMemory(true) - before;
        return index;
    }

    private static (double[] Micros, TimeSpan Elapsed, long Hits) Measure((double Lat, double Lon)[] points, Func<(double Lat, double Lon), int> query)
    {
        var micros = new double[points.Length];
        long hits = 0;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < points.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            hits += query(points[i]);
            micros[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        return (micros, Stopwatch.GetElapsedTime(started), hits);
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
