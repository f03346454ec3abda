using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Platform.ServiceDefaults.Messaging;

namespace Platform.Benchmarks;

/// <summary>The messaging kit's own counters (published, publish failures, inbox duplicates), read in process.</summary>
public sealed class KitCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _published;
    private long _publishFailures;
    private long _duplicates;

    public KitCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "platform.outbox.published": Interlocked.Add(ref _published, value); break;
                case "platform.outbox.publish_failures": Interlocked.Add(ref _publishFailures, value); break;
                case "platform.inbox.duplicates": Interlocked.Add(ref _duplicates, value); break;
            }
        });
        _listener.Start();
    }

    public (long Published, long PublishFailures, long Duplicates) Snapshot() =>
        (Interlocked.Read(ref _published), Interlocked.Read(ref _publishFailures), Interlocked.Read(ref _duplicates));

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// CPU use over an interval, in % of all cores: the whole machine (/proc/stat), this process, and the servers it
/// started (its descendant processes: PostgreSQL with its backends, RabbitMQ). The rest is load from elsewhere.
/// </summary>
public sealed class CpuSample
{
    private readonly Ticks _start = Ticks.Read();
    private readonly long _started = Stopwatch.GetTimestamp();

    public CpuUse Stop()
    {
        var end = Ticks.Read();
        var total = (double)(end.MachineTotal - _start.MachineTotal);
        if (total <= 0)
        {
            return new CpuUse(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }
        return new CpuUse(
            100.0 * (end.MachineBusy - _start.MachineBusy) / total,
            100.0 * (end.Self - _start.Self) / total,
            100.0 * (end.Postgres - _start.Postgres) / total,
            100.0 * (end.Others - _start.Others) / total,
            Stopwatch.GetElapsedTime(_started).TotalSeconds);
    }

    private sealed record Ticks(long MachineBusy, long MachineTotal, long Self, long Postgres, long Others)
    {
        // All in USER_HZ ticks, the unit of both /proc/stat and /proc/[pid]/stat.
        public static Ticks Read()
        {
            var (busy, total) = ReadMachine();
            var self = Environment.ProcessId;
            var processes = new Dictionary<int, (int Parent, string Name, long Own, long Reaped)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17); comm may hold spaces.
                    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    long L(int field) => long.Parse(f[field - 3], CultureInfo.InvariantCulture);
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    processes[pid] = ((int)L(4), name, L(14) + L(15), L(16) + L(17));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
                {
                    // the process ended meanwhile
                }
            }
            var children = processes.ToLookup(p => p.Value.Parent, p => p.Key);
            long postgres = 0, others = 0;
            var pending = new Stack<int>(children[self]);
            while (pending.TryPop(out var pid))
            {
                // A server's exited children (PostgreSQL backends) are counted in its reaped time.
                var used = processes[pid].Own + processes[pid].Reaped;
                if (processes[pid].Name == "postgres")
                {
                    postgres += used;
                }
                else
                {
                    others += used; // RabbitMQ: beam.smp, epmd, the start scripts
                }
                foreach (var child in children[pid])
                {
                    pending.Push(child);
                }
            }
            return new Ticks(busy, total, processes.TryGetValue(self, out var me) ? me.Own : 0, postgres, others);
        }

        private static (long Busy, long Total) ReadMachine()
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            return (fields.Sum() - idle, fields.Sum());
        }
    }
}

/// <summary>Busy shares of all cores over an interval.</summary>
public sealed record CpuUse(double Machine, double Bench, double Postgres, double RabbitMq, double Seconds)
{
    public double Elsewhere => Math.Max(0, Machine - Bench - Postgres - RabbitMq);

    /// <summary>
    /// CPU milliseconds one message cost this benchmark and its servers (bench process, PostgreSQL, RabbitMQ). Unlike
    /// a rate, this hardly changes when other processes compete for the cores.
    /// </summary>
    public string PerMessage(long messages)
    {
        double Ms(double percent) => percent / 100 * Environment.ProcessorCount * Seconds * 1000 / messages;
        var total = Ms(Bench) + Ms(Postgres) + Ms(RabbitMq);
        return $"{total:0.00} ms = bench {Ms(Bench):0.00} + PostgreSQL {Ms(Postgres):0.00} + RabbitMQ {Ms(RabbitMq):0.00} " +
               $"(all {Environment.ProcessorCount} cores would carry ~{Environment.ProcessorCount * 1000 / total:N0}/s)";
    }

    public override string ToString() =>
        $"{Machine:0} % = bench {Bench:0} + PostgreSQL {Postgres:0} + RabbitMQ {RabbitMq:0} + elsewhere {Elsewhere:0}";
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

public static class Machine
{
    public static string Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memKb = ReadFirst("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var mem = long.TryParse(memKb, CultureInfo.InvariantCulture, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown memory";
        return $"{Environment.ProcessorCount} cores ({cpu}), {mem} RAM, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
               $"server GC {System.Runtime.GCSettings.IsServerGC}";
    }

    private static string? ReadFirst(string file, string key)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>PostgreSQL's own counters for the benchmark database (pg_stat_database), to see what one event costs the server.</summary>
public sealed record PgStats(long Sessions, long Commits, long Rollbacks, long Returned, long Fetched, long Inserted, long Deleted)
{
    public static async Task<PgStats> ReadAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT sessions, xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_deleted " +
            "FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PgStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
    }

    public PgStats Minus(PgStats before) => new(Sessions - before.Sessions, Commits - before.Commits, Rollbacks - before.Rollbacks,
        Returned - before.Returned, Fetched - before.Fetched, Inserted - before.Inserted, Deleted - before.Deleted);

    public string PerEvent(long events) => events <= 0 ? "-" :
        $"sessions opened {Sessions:N0}, per event: commits {Commits / (double)events:0.00}, rollbacks {Rollbacks / (double)events:0.00}, " +
        $"rows read {Returned / (double)events:0.0}, fetched {Fetched / (double)events:0.0}, inserted {Inserted / (double)events:0.0}, deleted {Deleted / (double)events:0.0}";
}
