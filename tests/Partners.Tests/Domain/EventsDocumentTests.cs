using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Platform.Contracts;
using Platform.Partners.Domain;
using Platform.TestSupport;

namespace Platform.Partners.Tests.Domain;

/// <summary>
/// <c>docs/events.md</c> is generated from the Contracts assembly (its records and XML comments) and the public
/// catalogue, and this test fails when the committed document differs, so the two cannot drift. Regenerate with
/// <c>UPDATE_EVENTS_DOC=1 dotnet test tests/Partners.Tests --filter EventsDocument</c>.
/// </summary>
public sealed class EventsDocumentTests
{
    [Fact]
    public void The_committed_events_document_matches_the_contracts()
    {
        var path = Path.Combine(Repository.Root, "docs", "events.md");
        var generated = Generate();
        if (Environment.GetEnvironmentVariable("UPDATE_EVENTS_DOC") == "1")
        {
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), "docs/events.md is missing; run with UPDATE_EVENTS_DOC=1 to write it.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            "docs/events.md does not match the Contracts project; run `UPDATE_EVENTS_DOC=1 dotnet test tests/Partners.Tests --filter EventsDocument` and commit it.");
    }

    private static string Generate()
    {
        var assembly = typeof(CommunityRegistered).Assembly;
        var docs = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"));
        var text = new StringBuilder();
        text.Append(Intro);
        foreach (var type in PublicEventCatalogue.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### `{type.Type}`\n\n");
            text.Append(CultureInfo.InvariantCulture, $"{type.Description} From **{type.Source}**");
            if (type.Contract.Assembly == assembly)
            {
                text.Append(CultureInfo.InvariantCulture, $"; AMQP exchange `Platform.Contracts:{type.Contract.Name}`");
            }
            text.Append(". Filters: ");
            text.Append(type.FilterableByDistrict ? "district" : "no district");
            text.Append(type.CategoryMeaning is null ? ", no category" : $", category = {type.CategoryMeaning}");
            text.Append(".\n\n");
            var summary = Member(docs, "T:" + type.Contract.FullName)?.Element("summary")?.Value;
            if (summary is not null)
            {
                text.Append(Clean(summary)).Append("\n\n");
            }
            text.Append("| field | type | meaning |\n|---|---|---|\n");
            foreach (var (name, kind, meaning) in Fields(docs, type.Contract))
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{name}` | {kind} | {meaning} |\n");
            }
        }
        text.Append(Withheld);
        return text.ToString();
    }

    private static IEnumerable<(string Name, string Kind, string Meaning)> Fields(XDocument docs, Type contract)
    {
        var constructor = contract.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var typeDoc = Member(docs, "T:" + contract.FullName);
        foreach (var parameter in constructor.GetParameters())
        {
            var meaning = typeDoc?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter.Name)?.Value;
            yield return (JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!), Kind(parameter),
                Clean(meaning ?? NestedMeaning(docs, contract, parameter.Name!)));
        }
    }

    private static string NestedMeaning(XDocument docs, Type contract, string parameter) =>
        Member(docs, "T:" + contract.FullName)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter)?.Value ?? "";

    private static XElement? Member(XDocument docs, string name) =>
        docs.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == name);

    private static string Kind(ParameterInfo parameter)
    {
        var nullable = new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;
        var kind = Kind(Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType);
        return nullable || Nullable.GetUnderlyingType(parameter.ParameterType) is not null ? kind + " or null" : kind;
    }

    private static string Kind(Type type) => type switch
    {
        _ when type == typeof(Guid) => "uuid",
        _ when type == typeof(string) => "string",
        _ when type == typeof(double) => "number",
        _ when type == typeof(int) => "integer",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(DateTimeOffset) => "date-time (RFC 3339)",
        _ when type == typeof(DateOnly) => "date (yyyy-MM-dd)",
        _ when type == typeof(TimeSpan) => "duration (\"d.hh:mm:ss\")",
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => $"array of {Kind(type.GetGenericArguments()[0])}",
        _ => $"object ({type.Name})",
    };

    private static string Clean(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal);


    private const string Intro = """
        # Public events

        <!-- Generated from src/Contracts and the partners service's catalogue by
             tests/Partners.Tests/Domain/EventsDocumentTests.cs; a test fails when this file and the code differ. -->

        Partner agencies receive the platform's public events in one of two ways. No public event carries personal
        data: events about individual workers are not offered, and rights cases only as monthly counts.

        ## 1. Webhooks (any agency)

        An operator registers the agency (its client in the identity service has the role `partner-agency`). With a
        client-credentials token the agency then manages its subscriptions at `/api/partners/subscriptions`: event
        types from the list below, optional `districts` and `categories` filters (a filter applies only to types
        it can apply to), and an `https` callback URL on the public internet (loopback, private, link-local and
        metadata addresses are refused at registration and again at every connection, after DNS resolution).

        Each delivery is an HTTP `POST` of a [CloudEvents 1.0](https://cloudevents.io) structured JSON document
        (`Content-Type: application/cloudevents+json`; the event in `data`), signed per
        [Standard Webhooks](https://www.standardwebhooks.com):

        | header | meaning |
        |---|---|
        | `webhook-id` | `msg_` + 32 hex digits; the same on every retry and replay of one delivery: drop duplicates by it |
        | `webhook-timestamp` | Unix seconds when this attempt was signed; reject attempts older than 5 minutes |
        | `webhook-signature` | `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret (`whsec_` + base64); during a secret rotation a second, space-separated signature with the previous secret |

        Any Standard Webhooks library verifies these (e.g. npm `standardwebhooks`, which the platform's tests run
        against captured deliveries). Note: the .NET `StandardWebhooks` package 1.1.2 checks only the first of
        several signatures; during a rotation, verify each space-separated signature on its own.

        A `2xx` answer is success. `410 Gone` disables the subscription. Anything else (another status, no answer
        within 10 s, a refused connection) is retried with exponential backoff and ±20% jitter after 5 s, 5 min,
        30 min, 2 h, 5 h, 10 h and 10 h (8 attempts over about 27.6 hours); then the delivery is dead-lettered and
        the subscription flagged `needsAttention`. Deliveries are kept in the database, so restarts lose nothing. At
        most a few deliveries are in flight to one agency at a time, so a slow agency delays only itself. The
        delivery log (`GET /api/partners/deliveries`) shows status, attempts, last response code and latency;
        `POST /api/partners/deliveries/{id}/replay` and `POST /api/partners/deliveries/replay` (a time range) send
        again.

        ## 2. Direct AMQP (agencies inside the city network)

        Every integration event is published by its service to a durable RabbitMQ **fanout exchange named after its
        contract**, `Platform.Contracts:<EventName>` (e.g. `Platform.Contracts:HazardReported`). An agency binds a
        queue of its own to the exchanges of the public events it wants (operators grant read access to those
        exchanges only). Messages are MassTransit JSON envelopes (`Content-Type: application/vnd.masstransit+json`):

        | envelope field | meaning |
        |---|---|
        | `messageId` | unique id of the event (the CloudEvents `id` of its webhooks); deduplicate by it |
        | `messageType` | `["urn:message:Platform.Contracts:<EventName>"]` |
        | `sentTime` | when the event left the publishing service's outbox |
        | `sourceAddress` | the publishing service's bus address |
        | `message` | the event: the fields below, camelCase |
        | `headers` | includes the W3C `traceparent` of the request that caused the event |

        Delivery is at least once, and order is not kept: the broker keeps none between two event types, and events a
        service committed close together (on one instance or on several) may arrive in any order. Order a thing's events
        by their own time instead: a community's `registeredAt` and each `updatedAt` after it are strictly increasing in
        the order the changes were committed, whichever instance committed them, so a copy keeps the details with the
        latest time and ignores older ones.

        ## Event types


        """;

    private const string Withheld = """

        ## Not offered to partners

        `WorkerRegistered`, `WorkerReportedToCommunity`, `MemberPlaced` and `CourseCompleted` concern individual
        workers; `RightsCaseOpened` and `RightsCaseResolved` concern individual cases and reach partners only as
        the monthly counts above. They stay inside the platform.

        """;
}
