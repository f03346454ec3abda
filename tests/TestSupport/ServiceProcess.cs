using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Platform.TestSupport;

/// <summary>
/// A platform service (or the gateway) run as its own process from its built assembly, as the app host runs it: for
/// tests that kill an instance the way a machine or the kernel would (no graceful stop), and for benchmarks that read a
/// process's CPU.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>The entry assembly of a project of the repository, from its Release build (<c>./test.sh</c> builds it).</summary>
    public static string Built(string projectFolder, string assembly)
    {
        var path = Path.Combine(Repository.Root, projectFolder, "bin", "Release", "net10.0", assembly);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} not found: build the solution in Release first.");
    }

    /// <summary>
    /// What an instance of <paramref name="service"/> needs to run against the test servers, in a fresh database of
    /// <paramref name="database"/>'s name: give every instance of one service the same settings (the same dictionary),
    /// as a deployment gives its replicas. Production environment, warnings only in its output.
    /// </summary>
    public static Dictionary<string, string> Settings(LocalInfrastructure infrastructure, string service, string database)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        return Settings(service, infrastructure.PostgresConnectionString(database), infrastructure.RabbitMqConnectionString);
    }

    /// <summary>As <see cref="Settings(LocalInfrastructure, string, string)"/>, with the service's database and broker given by their connection strings.</summary>
    public static Dictionary<string, string> Settings(string service, string databaseConnectionString, string brokerConnectionString)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            [$"ConnectionStrings__{service}-db"] = databaseConnectionString,
            ["ConnectionStrings__rabbitmq"] = brokerConnectionString,
            ["Platform__PersonalData__Key"] = Platform.ServiceDefaults.Security.PersonalDataProtector.NewKey(),
            ["Platform__Auth__Issuer"] = TestTokens.Issuer,
        };
        if (service == "stations")
        {
            // Signs the check-in codes: required, and the same on every instance.
            settings["Platform__Stations__CheckInKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        return settings;
    }

    /// <summary>Starts <c>dotnet &lt;dll&gt;</c> listening on <paramref name="port"/> (a <see cref="ReservedPorts"/> one) with the given settings.</summary>
    public static ServiceProcess Start(string name, string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var service = new ServiceProcess(name, process, port);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits (bounded) until <paramref name="path"/> answers 200: <c>/alive</c> for the process, <c>/health</c> for its database and broker too.</summary>
    public async Task WaitUntilAsync(string path = "/alive")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.Until(async ct =>
            {
                if (_process.HasExited)
                {
                    throw new ServerExitedException($"{Name} exited with {_process.ExitCode}.");
                }
                try
                {
                    using var response = await client.GetAsync(new Uri(BaseAddress, path), ct);
                    return (HttpStatusCode?)response.StatusCode;
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    return null; // this probe took longer than 5 s; the next one may not
                }
            }, s => s == HttpStatusCode.OK, $"{Name} {path}", StartTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or ServerExitedException)
        {
            throw new TimeoutException($"{ex.Message}\n--- {Name} output ---\n{Output}", ex);
        }
    }

    /// <summary>What the process wrote so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Ends the process at once (SIGKILL): no graceful stop, nothing flushed, its connections dropped.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>User plus system CPU of the process so far, in clock ticks (fields 14 and 15 of /proc/pid/stat).</summary>
    public double CpuTicks() => CpuTicksOf(_process.Id);

    /// <summary>User plus system CPU of any process so far, in clock ticks (USER_HZ, 100 a second on Linux).</summary>
    public static double CpuTicksOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
