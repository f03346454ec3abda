using System.Text.Json;
using Platform.Contracts;
using Platform.TestSupport;

namespace Platform.Organizations.Tests.Http;

/// <summary>What reaches RabbitMQ after a registration: the integration event, through the outbox.</summary>
public sealed class EventTests(LocalInfrastructure infrastructure) : OrganizationsApiTest(infrastructure)
{
    [Fact]
    public async Task Registering_a_community_publishes_CommunityRegistered()
    {
        await using var listener = await ExchangeListener.ForAsync<CommunityRegistered>(Infrastructure);
        var district = UniqueDistrict();

        var community = await RegisterCommunityAsync(ValidCommunity(district, "银河北路社区", "银河北路街道"));

        var envelope = await listener.NextAsync(e => MessageOf(e).GetProperty("communityId").GetGuid() == community.Id);
        AssertEnvelope(envelope, nameof(CommunityRegistered));
        var message = MessageOf(envelope);
        Assert.Equal("银河北路社区", message.GetProperty("name").GetString());
        Assert.Equal(district, message.GetProperty("district").GetString());
        Assert.Equal("银河北路街道", message.GetProperty("street").GetString());
        Assert.Equal(39.5186, message.GetProperty("latitude").GetDouble());
        Assert.Equal(116.6946, message.GetProperty("longitude").GetDouble());
        Assert.Equal(community.RegisteredAt, message.GetProperty("registeredAt").GetDateTimeOffset());
        Assert.Equal(
            ["communityId", "district", "latitude", "longitude", "name", "registeredAt", "street"],
            message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Registering_an_enterprise_publishes_EnterpriseRegistered()
    {
        await using var listener = await ExchangeListener.ForAsync<EnterpriseRegistered>(Infrastructure);
        var code = CreditCodes.Unique();

        var enterprise = await RegisterEnterpriseAsync(ValidEnterprise(code.ToLowerInvariant(), "food-delivery", "美团廊坊站", "广阳区"));

        var envelope = await listener.NextAsync(e => MessageOf(e).GetProperty("enterpriseId").GetGuid() == enterprise.Id);
        AssertEnvelope(envelope, nameof(EnterpriseRegistered));
        var message = MessageOf(envelope);
        Assert.Equal("美团廊坊站", message.GetProperty("name").GetString());
        Assert.Equal(code, message.GetProperty("creditCode").GetString());
        Assert.Equal("food-delivery", message.GetProperty("industry").GetString());
        Assert.Equal("广阳区", message.GetProperty("district").GetString());
        Assert.Equal(enterprise.RegisteredAt, message.GetProperty("registeredAt").GetDateTimeOffset());

        await WaitForEmptyOutboxAsync();
    }

    [Fact]
    public async Task Each_registration_is_one_event_with_its_own_message_id()
    {
        await using var listener = await ExchangeListener.ForAsync<CommunityRegistered>(Infrastructure);
        var district = UniqueDistrict();
        var a = await RegisterCommunityAsync(ValidCommunity(district, "甲社区"));
        // A refused duplicate publishes nothing: its outbox row was rolled back with it.
        using (var duplicate = await PostAsync("/communities", ValidCommunity(district, "甲社区")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, duplicate.StatusCode);
        }
        var b = await RegisterCommunityAsync(ValidCommunity(district, "乙社区"));

        var first = await listener.NextAsync();
        var second = await listener.NextAsync();

        Assert.Equal(
            new[] { a.Id, b.Id }.Order(),
            new[] { first, second }.Select(e => MessageOf(e).GetProperty("communityId").GetGuid()).Order());
        Assert.NotEqual(first.GetProperty("messageId").GetGuid(), second.GetProperty("messageId").GetGuid());
        await WaitForEmptyOutboxAsync();
    }

    private static JsonElement MessageOf(JsonElement envelope) => envelope.GetProperty("message");

    private static void AssertEnvelope(JsonElement envelope, string type)
    {
        Assert.True(Guid.TryParse(envelope.GetProperty("messageId").GetString(), out var messageId), "messageId is a GUID.");
        Assert.NotEqual(Guid.Empty, messageId);
        Assert.Contains($"urn:message:Platform.Contracts:{type}", envelope.GetProperty("messageType").EnumerateArray().Select(t => t.GetString()));
        Assert.True(envelope.TryGetProperty("sentTime", out var sent) && sent.GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }
}
