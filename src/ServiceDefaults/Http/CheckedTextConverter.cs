using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.ServiceDefaults.Validation;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Reads every JSON string through <see cref="TextRules"/>: a body field with a NUL or another control character is a
/// 400 naming the field (the serializer adds the path), before any endpoint, entity or event sees it.
/// </summary>
internal sealed class CheckedTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The JSON value could not be converted to System.String.");
        }
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") cannot become a .NET string.
            throw new JsonException("The text contains half of a surrogate pair, which is not valid text.");
        }
        return TextRules.Refusal(text) is { } refusal ? throw new JsonException($"The text {refusal}") : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
