using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace Platform.Partners.Domain;

/// <summary>Writes an event as a CloudEvents 1.0 structured-mode JSON document (what a callback receives).</summary>
public static class CloudEvent
{
    public const string ContentType = "application/cloudevents+json";

    public static string Serialize(PublicEventType type, Guid id, object data, DateTimeOffset time, string? subject)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", id.ToString());
            json.WriteString("source", $"/platform/{type.Source}");
            json.WriteString("type", type.Type);
            json.WriteString("time", time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("datacontenttype", "application/json");
            if (!string.IsNullOrEmpty(subject))
            {
                json.WriteString("subject", subject);
            }
            json.WritePropertyName("data");
            JsonSerializer.Serialize(json, data, type.Contract, PlatformJson.Options);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
