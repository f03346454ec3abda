using System.Globalization;
using Platform.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- messaging [--events 50000] [--writers 4] [--batch 100]
//     [--rate 1000] [--seconds 20] [--in-flight 500] [--warmup 60000] [--deadline-minutes 10] [--scenarios ABC]
// dotnet run -c Release --project tests/Benchmarks -- webhooks [--events 20000] [--rate 200] [--seconds 20] [--warmup 30000]
if (args.Length > 0 && args[0] == "webhooks")
{
    var webhooks = new WebhookBenchmarkSettings();
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        webhooks = args[i] switch
        {
            "--events" => webhooks with { Events = value },
            "--rate" => webhooks with { OfferedRate = value },
            "--seconds" => webhooks with { OfferedSeconds = value },
            "--warmup" => webhooks with { Warmup = value },
            _ => throw new ArgumentException($"Unknown option {args[i]}."),
        };
    }
    return await WebhookBenchmark.RunAsync(webhooks);
}

// dotnet run -c Release --project tests/Benchmarks -- gateway
if (args.Length > 0 && args[0] == "gateway")
{
    return await GatewayBenchmark.RunAsync(new GatewayBenchmarkSettings());
}
// dotnet run -c Release --project tests/Benchmarks -- edge   (needs wrk: sudo apt-get install -y wrk)
if (args is ["edge", ..]) return await EdgeBenchmark.RunAsync(new EdgeBenchmarkSettings());
//     startup [--runs 3] [--idle-seconds 20]   (the README's run command, timed; stop any running platform first)
if (args is ["startup", ..])
{
    var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(3);
    var idle = args.SkipWhile(a => a != "--idle-seconds").Skip(1).Select(int.Parse).FirstOrDefault(20);
    return await StartupBenchmark.RunAsync(runs, idle);
}
//     city [--scales 1,10] [--scale-out volunteers,stations] [--concurrency 16] [--seconds 15] [--reporters 1200]
//          [--event-burst 1000] [--event-rate 40]   (the whole platform on the demo city; see docs/benchmarks.md)
if (args is ["city", ..]) return await CityBenchmark.RunAsync(CityBenchmarkSettings.Parse(args));
if (args is ["stations", ..]) return Platform.Benchmarks.Stations.StationsBenchmark.Run(args[1..]);
//     volunteers [--open-reports 100000] [--concurrency 32] [--seconds 20] [--warmup 60] [--workers 2000] [--rate N] [--driver http-client|wrk]
if (args.Length > 0 && args[0] == "volunteers")
{
    return await VolunteersBenchmark.RunAsync(VolunteersOptions.Parse(args));
}
if (args.Length == 0 || args[0] != "messaging")
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/Benchmarks -- messaging [--events N] [--writers N] " +
                      "[--batch N] [--rate N] [--seconds N] [--in-flight N] [--deadline-minutes N] [--scenarios ABC]");
    return args.Length == 0 ? 0 : 2;
}

var settings = new MessagingBenchmarkSettings();
for (var i = 1; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--scenarios")
    {
        settings = settings with { Scenarios = args[i + 1].ToUpperInvariant() };
        continue;
    }
    var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    settings = args[i] switch
    {
        "--events" => settings with { Events = value },
        "--writers" => settings with { Writers = value },
        "--batch" => settings with { BatchSize = value },
        "--rate" => settings with { OfferedRate = value },
        "--seconds" => settings with { OfferedSeconds = value },
        "--in-flight" => settings with { ReferenceInFlight = value },
        "--warmup" => settings with { Warmup = value },
        "--deadline-minutes" => settings with { Deadline = TimeSpan.FromMinutes(value) },
        _ => throw new ArgumentException($"Unknown option {args[i]}."),
    };
}

return await MessagingBenchmark.RunAsync(settings);
