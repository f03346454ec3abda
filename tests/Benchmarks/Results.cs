namespace Platform.Benchmarks;

public sealed record Verification
{
    public long Expected { get; init; }
    public long Effects { get; init; }
    public long DistinctEffects { get; init; }
    public long InboxRows { get; init; }
    public long OutboxLeft { get; init; }
    public long Published { get; init; }
    public long PublishFailures { get; init; }
    public long DuplicatesSkipped { get; init; }

    /// <summary>Every event took effect exactly once, and nothing is left in the outbox.</summary>
    public bool ExactlyOnce => Effects == Expected && DistinctEffects == Expected && InboxRows == Expected && OutboxLeft == 0;

    public override string ToString() =>
        $"effects {Effects:N0} (distinct {DistinctEffects:N0}) of {Expected:N0}, inbox {InboxRows:N0}, outbox left {OutboxLeft}, " +
        $"published {Published:N0}, publish failures {PublishFailures}, duplicates skipped {DuplicatesSkipped} => exactly once: {(ExactlyOnce ? "yes" : "NO")}";
}

public sealed class ScenarioA
{
    public double Seconds { get; init; }
    public double CommitSeconds { get; init; }
    public CpuUse? Cpu { get; init; }
    public Verification? Check { get; set; }
    public long Events => Check?.Expected ?? 0;
    public double EventsPerSecond => Events / Seconds;
}

public sealed class ScenarioB
{
    public long Sent { get; init; }
    public double OfferedRate { get; init; }
    public double[] LatenciesMs { get; init; } = [];
    public double[] DbLatenciesMs { get; set; } = [];
    public double[] CommitMs { get; init; } = [];
    public CpuUse? Cpu { get; init; }
    public Verification? Check { get; set; }
    public double P(double percentile) => Stats.Percentile(LatenciesMs, percentile);
}

public sealed class ScenarioC
{
    public double Seconds { get; init; }
    public double PublishSeconds { get; init; }
    public long Consumed { get; init; }
    public CpuUse? Cpu { get; init; }
    public double MessagesPerSecond => Consumed / Seconds;
}

public sealed class Results(MessagingBenchmarkSettings settings)
{
    public const double ThroughputTarget = 5_000;
    public const double RatioTarget = 0.35;
    public const double P99TargetMs = 100;

    public ScenarioA? A { get; set; }
    public ScenarioB? B { get; set; }
    public ScenarioC? C { get; set; }

    public void Print()
    {
        var rows = new List<(string Figure, string Value, string Target, string Met)>();
        if (A is not null)
        {
            rows.Add(($"A  outbox -> RabbitMQ -> idempotent consumer, {A.Events:N0} events", $"{A.EventsPerSecond:N0} events/s",
                $">= {ThroughputTarget:N0}/s", YesNo(A.EventsPerSecond >= ThroughputTarget)));
            rows.Add(($"   writers committed all ({settings.Writers} x {settings.BatchSize}/tx)",
                $"{A.CommitSeconds:0.00} s ({A.Events / A.CommitSeconds:N0}/s)", "", ""));
            rows.Add(("   first commit -> last effect", $"{A.Seconds:0.00} s", "", ""));
            rows.Add(("   exactly-once (effects = distinct = inbox = N)", Check(A.Check), "exactly once", YesNo(A.Check?.ExactlyOnce == true)));
            rows.Add(("   CPU busy, % of all cores", Cpu(A.Cpu), "", ""));
            rows.Add(("   CPU time per event", A.Cpu?.PerMessage(A.Events) ?? "-", "", ""));
        }
        if (B is not null)
        {
            rows.Add(($"B  offered {settings.OfferedRate:N0} events/s for {settings.OfferedSeconds} s", $"{B.OfferedRate:N0}/s ({B.Sent:N0} events)", "", ""));
            rows.Add(("   commit -> effect p50 / p95 / p99 / max (ms)",
                $"{B.P(50):0.0} / {B.P(95):0.0} / {B.P(99):0.0} / {B.P(100):0.0}", $"p99 <= {P99TargetMs:0} ms", YesNo(B.P(99) <= P99TargetMs)));
            rows.Add(("   same, from the effect rows' own stamps (ms)", Percentiles(B.DbLatenciesMs), "", ""));
            rows.Add(("   SaveChanges of a tick p50 / p99 (ms)", $"{Stats.Percentile(B.CommitMs, 50):0.0} / {Stats.Percentile(B.CommitMs, 99):0.0}", "", ""));
            rows.Add(("   exactly-once", Check(B.Check), "exactly once", YesNo(B.Check?.ExactlyOnce == true)));
            rows.Add(("   CPU busy, % of all cores", Cpu(B.Cpu), "", ""));
            rows.Add(("   CPU time per event", B.Cpu?.PerMessage(B.Sent) ?? "-", "", ""));
        }
        if (C is not null)
        {
            rows.Add(($"C  bare MassTransit publish -> consume, {C.Consumed:N0} msgs", $"{C.MessagesPerSecond:N0} msgs/s", "", ""));
            rows.Add(($"   all confirmed ({settings.ReferenceInFlight} in flight)", $"{C.PublishSeconds:0.00} s", "", ""));
            rows.Add(("   CPU busy, % of all cores", Cpu(C.Cpu), "", ""));
            rows.Add(("   CPU time per message", C.Cpu?.PerMessage(C.Consumed) ?? "-", "", ""));
        }
        if (A is not null && C is not null)
        {
            var ratio = A.EventsPerSecond / C.MessagesPerSecond;
            rows.Add(("A/C  kit end to end vs bare MassTransit", $"{ratio:0.00}", $">= {RatioTarget:0.00}", YesNo(ratio >= RatioTarget)));
        }

        if (rows.Count == 0)
        {
            Console.WriteLine("No results.");
            return;
        }
        var w0 = Math.Max(10, rows.Max(r => r.Figure.Length));
        var w1 = Math.Max(10, rows.Max(r => r.Value.Length));
        var w2 = Math.Max(6, rows.Max(r => r.Target.Length));
        Console.WriteLine();
        Console.WriteLine($"Results ({Machine.Describe()})");
        Console.WriteLine($"{"Figure".PadRight(w0)}  {"Value".PadRight(w1)}  {"Target".PadRight(w2)}  Met");
        Console.WriteLine(new string('-', w0 + w1 + w2 + 11));
        foreach (var (figure, value, target, met) in rows)
        {
            Console.WriteLine($"{figure.PadRight(w0)}  {value.PadRight(w1)}  {target.PadRight(w2)}  {met}");
        }
        if (A?.Check is not null)
        {
            Console.WriteLine($"A check: {A.Check}");
        }
        if (B?.Check is not null)
        {
            Console.WriteLine($"B check: {B.Check}");
        }
    }

    private static string YesNo(bool met) => met ? "yes" : "NO";
    private static string Cpu(CpuUse? cpu) => cpu?.ToString() ?? "-";
    private static string Check(Verification? v) => v is null ? "-" : $"{v.Effects:N0} / {v.DistinctEffects:N0} / {v.InboxRows:N0}";
    private static string Percentiles(double[] sorted) =>
        $"{Stats.Percentile(sorted, 50):0.0} / {Stats.Percentile(sorted, 95):0.0} / {Stats.Percentile(sorted, 99):0.0} / {Stats.Percentile(sorted, 100):0.0}";
}
